package io.edgefn.upstream;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of an {@link UpstreamLink}'s counters, taken by {@link UpstreamLink#stats()}.
 *
 * @param state           the lifecycle state
 * @param inFlight        records published on the current connection and not yet acknowledged by the broker
 * @param sent            records the broker acknowledged (PUBACK) since the link started
 * @param expiredDropped  records the link dropped unsent because their time to live had passed
 *                        (the buffer counts the ones it skipped itself in its own stats)
 * @param undeliverable   records dropped because they could not be read, have no valid topic, or (IoT Hub
 *                        mode) have a body over {@link UpstreamLink#IOT_HUB_MAX_MESSAGE_BYTES} (each logged)
 * @param connects        connections established since the link started
 * @param reconnects      connections established after the first one
 * @param connectFailures connect attempts that failed since the link started
 * @param lastError       the last connection error, as text, or null if there was none
 * @param lastConnectedAt when the last connection was established (the link's clock), or null
 * @param lastLostAt      when the last connection was lost or a connect failed, or null
 * @param lastBackoff     the last reconnect delay waited, or zero
 */
public record UpstreamStats(UpstreamState state, int inFlight, long sent, long expiredDropped, long undeliverable,
                            long connects, long reconnects, long connectFailures, String lastError, Instant lastConnectedAt, Instant lastLostAt,
                            Duration lastBackoff) {
}
