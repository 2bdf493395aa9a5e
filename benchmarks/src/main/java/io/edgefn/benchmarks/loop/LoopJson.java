package io.edgefn.benchmarks.loop;

/** How the loop benchmark writes numbers into its JSON. Stateless. */
final class LoopJson {

    private LoopJson() {
    }

    /**
     * Milliseconds rounded to the microsecond; {@code null} for an infinite value (a percentile
     * that falls on missed trials) and for none at all ({@code NaN}).
     */
    static Double millis(double millis) {
        if (Double.isNaN(millis) || Double.isInfinite(millis)) {
            return null;
        }
        return Math.round(millis * 1000) / 1000.0;
    }

    /** Milliseconds as the summary prints them: {@code ∞} for infinite, {@code -} for none. */
    static String text(double millis) {
        if (Double.isInfinite(millis)) {
            return "      ∞";
        }
        if (Double.isNaN(millis)) {
            return "      -";
        }
        return String.format(java.util.Locale.ROOT, "%7.3f", millis);
    }
}
