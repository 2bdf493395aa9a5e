package io.edgefn.runtime;

import java.util.Map;

/**
 * How long one function's invocations (attempts, retries included) ran, from fixed buckets: a
 * percentile is the upper bound of the bucket that holds it, never above the max, so it says
 * "at most". Immutable snapshot.
 *
 * @param count     invocations recorded
 * @param p50Millis the median, in milliseconds (0 with no invocation)
 * @param p90Millis the 90th percentile
 * @param p99Millis the 99th percentile
 * @param maxMillis the longest invocation
 * @param buckets   invocations per bucket, by its inclusive upper bound in milliseconds
 *                  ({@code "0.1"} … {@code "10000"}, then {@code "+Inf"}), in that order
 */
public record DurationStats(long count, double p50Millis, double p90Millis, double p99Millis, double maxMillis,
                            Map<String, Long> buckets) {

    /** Keeps the buckets' order. */
    public DurationStats {
        buckets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(buckets));
    }
}
