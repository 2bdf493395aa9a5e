package io.edgefn.runtime.internal;

import io.edgefn.runtime.DurationStats;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long a function's invocations ran, in fixed buckets from 0.1 ms to 10 s (and one above):
 * enough to tell a 50 µs pass-through from a 300 ms HTTP call or a 5 s stall, without the memory
 * or the per-value cost of an HdrHistogram per function.
 *
 * <p>{@link #record} allocates nothing and takes no lock (a scan of 15 bounds, two atomic adds and
 * a max); it runs on every invocation's thread at once. {@link #snapshot} may run meanwhile and
 * sees each bucket at some moment of its own, which a status page can live with.
 */
final class DurationHistogram {

    /** The buckets' upper bounds (inclusive), in nanoseconds; a last bucket holds the rest. */
    private static final long[] BOUNDS_NANOS = {
        100_000L, 250_000L, 500_000L, 1_000_000L, 2_500_000L, 5_000_000L, 10_000_000L, 25_000_000L, 50_000_000L,
        100_000_000L, 250_000_000L, 500_000_000L, 1_000_000_000L, 2_500_000_000L, 10_000_000_000L};
    /** The bounds as the snapshot names them: milliseconds, Prometheus' {@code le} style. */
    private static final String[] LABELS = {
        "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "25", "50", "100", "250", "500", "1000", "2500", "10000", "+Inf"};

    private final AtomicLongArray counts = new AtomicLongArray(BOUNDS_NANOS.length + 1);
    private final AtomicLong max = new AtomicLong();

    /** Counts one invocation of {@code nanos}. Allocation-free; any thread. */
    void record(long nanos) {
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
            i++;
        }
        counts.incrementAndGet(i);
        long m = max.get();
        while (nanos > m && !max.compareAndSet(m, nanos)) {
            m = max.get();
        }
    }

    /**
     * What was recorded: the count, p50/p90/p99 as the upper bound of the bucket that holds them
     * (never above the max), the max, and each bucket's count.
     */
    DurationStats snapshot() {
        long[] c = new long[counts.length()];
        long total = 0;
        for (int i = 0; i < c.length; i++) {
            c[i] = counts.get(i);
            total += c[i];
        }
        double maxMillis = max.get() / 1e6;
        Map<String, Long> buckets = new LinkedHashMap<>();
        for (int i = 0; i < c.length; i++) {
            buckets.put(LABELS[i], c[i]);
        }
        return new DurationStats(total, percentile(c, total, 0.50, maxMillis), percentile(c, total, 0.90, maxMillis),
                percentile(c, total, 0.99, maxMillis), maxMillis, buckets);
    }

    private static double percentile(long[] c, long total, double q, double maxMillis) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < c.length; i++) {
            seen += c[i];
            if (seen >= rank) {
                return i < BOUNDS_NANOS.length ? Math.min(BOUNDS_NANOS[i] / 1e6, maxMillis) : maxMillis;
            }
        }
        return maxMillis;
    }
}
