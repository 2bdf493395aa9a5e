package io.edgefn.runtime;

import io.edgefn.runtime.internal.FunctionStats;
import java.util.Map;

/**
 * A snapshot of a host's counters.
 *
 * @param messagesByRoute messages each route delivered, by route name, in deployment order
 * @param unrouted messages no route matched
 * @param undeliverable deliveries a sink did not take
 * @param functions each function's counters, by name
 * @param upstreamHeld messages on disk waiting for the upstream link
 * @param bufferBytes bytes the offline buffer holds on disk
 * @param devices each device's link state, by device id
 */
public record HostStats(Map<String, Long> messagesByRoute, long unrouted, long undeliverable,
                        Map<String, FunctionStats> functions, long upstreamHeld, long bufferBytes,
                        Map<String, String> devices) {
}
