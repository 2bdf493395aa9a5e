package io.edgefn.benchmarks.loop;

import java.util.Arrays;

/**
 * Latencies in nanoseconds, and their nearest-rank percentiles. A run has at most 100,000
 * trials, so every value is kept and the percentiles are exact.
 *
 * <p>A trial that never finished (no ACK within the limit) is added with {@link #addMissed()}:
 * it counts as an infinite latency, so it ranks above every finite one. A percentile whose rank
 * falls on such a trial is {@link Double#POSITIVE_INFINITY} — e.g. p99 as soon as more than 1 %
 * of the trials missed — never the largest finite value, and a missed trial is never dropped.
 *
 * <p>Not thread-safe: owned by the trial runner.
 */
final class Latencies {

    private long[] values = new long[64];
    private int size;
    private int missed;

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

    /** Adds one trial that never finished: an infinite latency. */
    void addMissed() {
        missed++;
    }

    /** How many latencies were added, the missed ones included. */
    int count() {
        return size + missed;
    }

    /** How many of them were missed (infinite). */
    int missed() {
        return missed;
    }

    /**
     * The nearest-rank percentile {@code p} (0 < p ≤ 100) in milliseconds: the smallest value
     * that at least p% of the values do not exceed; {@link Double#POSITIVE_INFINITY} when that
     * rank is a missed trial; {@code NaN} when there are none.
     */
    double percentileMillis(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile must be in (0, 100], was " + p);
        }
        int n = count();
        if (n == 0) {
            return Double.NaN;
        }
        int rank = Math.max((int) Math.ceil(p / 100.0 * n), 1);
        if (rank > size) {
            return Double.POSITIVE_INFINITY;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return sorted[rank - 1] / 1e6;
    }

    /** The largest value in milliseconds (infinite when a trial missed); {@code NaN} when there are none. */
    double maxMillis() {
        return percentileMillis(100);
    }

    /** Adds every value of {@code other}, missed ones included. */
    void addAll(Latencies other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
        missed += other.missed;
    }
}
