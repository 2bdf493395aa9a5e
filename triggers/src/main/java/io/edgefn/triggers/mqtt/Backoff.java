package io.edgefn.triggers.mqtt;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A broker connection's reconnect delays: exponential with full jitter, the numbers of the upstream
 * link's own ({@code io.edgefn.upstream.Backoff}, in the edge hub, which the runtime cannot reach).
 *
 * <p>The n-th wait in a row (n = 1, 2, …) is uniformly random in
 * {@code [0, min(cap, initial × 2^(n-1))]}: with the defaults 0–100 ms, 0–200 ms, 0–400 ms, … up
 * to 0–30 s from the 10th wait on. Full jitter spreads a fleet of gateways that lost the same
 * broker so they do not all come back in the same instant. {@link #reset()} starts again at
 * {@code initial}; the connection calls it once a connection has stayed up for
 * {@link #DEFAULT_STABLE_AFTER}, so a broker that accepts and then drops every connection still
 * meets growing delays.
 *
 * <p>Guarded by its connection's lock; not thread-safe.
 */
final class Backoff {

    /** The first delay's upper bound. */
    static final Duration DEFAULT_INITIAL = Duration.ofMillis(100);

    /** The largest delay's upper bound. */
    static final Duration DEFAULT_CAP = Duration.ofSeconds(30);

    /** How long a connection must stay up before the delays start again at {@link #DEFAULT_INITIAL}. */
    static final Duration DEFAULT_STABLE_AFTER = Duration.ofSeconds(10);

    private final long initialMillis;
    private final long capMillis;
    private final RandomGenerator random;
    private int attempt;

    Backoff(Duration initial, Duration cap, RandomGenerator random) {
        this.initialMillis = initial.toMillis();
        this.capMillis = cap.toMillis();
        this.random = Objects.requireNonNull(random, "random");
        if (initialMillis <= 0 || capMillis < initialMillis) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= cap, was initial=" + initial + " cap=" + cap);
        }
    }

    /** The upper bound of the next delay. */
    Duration ceiling() {
        return Duration.ofMillis(ceilingMillis(attempt));
    }

    /** The next delay, then moves one step up. */
    Duration next() {
        long ceiling = ceilingMillis(attempt);
        attempt = Math.min(attempt + 1, 62);
        return Duration.ofMillis((long) Math.floor(random.nextDouble() * (ceiling + 1)));
    }

    /** Starts again at the first step. */
    void reset() {
        attempt = 0;
    }

    private long ceilingMillis(int step) {
        if (step >= 31) {
            return capMillis;
        }
        return Math.min(capMillis, initialMillis << step);
    }
}
