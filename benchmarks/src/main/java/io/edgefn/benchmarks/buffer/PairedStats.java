package io.edgefn.benchmarks.buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The arithmetic of interleaved rounds: a contender's median over its rounds, and the ratio of two
 * contenders as the median of their per-round ratios (each round's two runs saw the same machine
 * load, so pairing cancels what drifts between rounds). Stateless.
 */
final class PairedStats {

    private PairedStats() {
    }

    /** The median of {@code values} (the mean of the middle two for an even count); NaN when empty. */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.removeIf(v -> v == null || v.isNaN());
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * The median over rounds of {@code numerator[i] / denominator[i]}; rounds where either is
     * missing (NaN) or the denominator is not positive are left out. NaN when no round pairs.
     *
     * @throws IllegalArgumentException if the lists differ in length (they must be the same rounds)
     */
    static double pairedRatio(List<Double> numerator, List<Double> denominator) {
        if (numerator.size() != denominator.size()) {
            throw new IllegalArgumentException("paired ratios need the same rounds: " + numerator.size()
                    + " values against " + denominator.size());
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < numerator.size(); i++) {
            double a = numerator.get(i);
            double b = denominator.get(i);
            if (!Double.isNaN(a) && !Double.isNaN(b) && b > 0) {
                ratios.add(a / b);
            }
        }
        return median(ratios);
    }
}
