package io.edgefn.benchmarks.loop;

import java.util.Arrays;

/**
 * Latencies in nanoseconds, and their nearest-rank percentiles. A run has at most 100,000
 * trials, so every value is kept and the percentiles are exact.
 *
 * <p>Not thread-safe: owned by the trial runner.
 */
final class Latencies {

    private long[] values = new long[64];
    private int size;

    /** Adds one latency. */
    void add(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("a latency cannot be negative, was " + nanos + " ns");
        }
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    /** How many latencies were added. */
    int count() {
        return size;
    }

    /**
     * The nearest-rank percentile {@code p} (0 < p ≤ 100) in milliseconds: the smallest value
     * that at least p% of the values do not exceed; {@code NaN} when there are none.
     */
    double percentileMillis(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile must be in (0, 100], was " + p);
        }
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(rank, 1) - 1] / 1e6;
    }

    /** The largest value in milliseconds; {@code NaN} when there are none. */
    double maxMillis() {
        return percentileMillis(100);
    }
}
