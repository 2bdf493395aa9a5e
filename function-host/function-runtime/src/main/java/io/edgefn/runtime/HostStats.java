package io.edgefn.runtime;

import io.edgefn.buffer.BufferStats;
import java.util.Map;

/**
 * A snapshot of a host's counters.
 *
 * @param messagesByRoute messages each route delivered, by route name, in deployment order
 * @param unrouted messages no route matched
 * @param undeliverable deliveries a sink did not take
 * @param functions each function's counters, by name
 * @param upstreamHeld messages on disk waiting for the upstream link
 * @param upstreamOldestAgeMillis age of the oldest message held for upstream, 0 when none
 * @param bufferBytes bytes the offline buffer holds on disk
 * @param devices each device's link state, by device id
 * @param buffer the offline buffer's metrics (depth and oldest age per cursor and priority,
 *     appends, fsyncs, drops by reason), or null before the buffer is open
 * @param unreadableBodies messages whose body a {@code $body} route had to read but could not
 *     (marked as JSON, but malformed or beyond the reader's limits): those routes took them as
 *     undefined, the others routed them as usual
 * @param conditionFailures route condition evaluations that failed with an exception (each
 *     undefined for its message); zero unless the route evaluator has a bug
 * @param deploymentVersion the running deployment's {@code version} label, or null when it has none
 */
public record HostStats(Map<String, Long> messagesByRoute, long unrouted, long undeliverable,
                        Map<String, FunctionStats> functions, long upstreamHeld, long upstreamOldestAgeMillis,
                        long bufferBytes, Map<String, String> devices, BufferStats buffer,
                        long unreadableBodies, long conditionFailures, String deploymentVersion) {

    /** A snapshot without a deployment version. */
    public HostStats(Map<String, Long> messagesByRoute, long unrouted, long undeliverable,
                     Map<String, FunctionStats> functions, long upstreamHeld, long upstreamOldestAgeMillis,
                     long bufferBytes, Map<String, String> devices, BufferStats buffer,
                     long unreadableBodies, long conditionFailures) {
        this(messagesByRoute, unrouted, undeliverable, functions, upstreamHeld, upstreamOldestAgeMillis, bufferBytes,
                devices, buffer, unreadableBodies, conditionFailures, null);
    }

    /** A snapshot without route-table counters (zero), for a host whose routes are not yet compiled. */
    public HostStats(Map<String, Long> messagesByRoute, long unrouted, long undeliverable,
                     Map<String, FunctionStats> functions, long upstreamHeld, long upstreamOldestAgeMillis,
                     long bufferBytes, Map<String, String> devices, BufferStats buffer) {
        this(messagesByRoute, unrouted, undeliverable, functions, upstreamHeld, upstreamOldestAgeMillis, bufferBytes,
                devices, buffer, 0, 0, null);
    }
}
