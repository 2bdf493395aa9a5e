package io.edgefn.triggers;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays for a connection to an MQTT broker: exponential with full jitter. The upstream
 * link (edge hub) and the functions' external broker connections ({@code io.edgefn.triggers.mqtt})
 * both reconnect with it, so a gateway backs off from every broker the same way.
 *
 * <p>The n-th wait in a row (n = 1, 2, …) is uniformly random in
 * {@code [0, min(cap, initial × 2^(n-1))]}: with the defaults 0–100 ms, 0–200 ms, 0–400 ms, … up
 * to 0–30 s from the 10th wait on. Full jitter spreads a fleet of gateways that lost the same
 * broker so they do not all come back in the same instant. {@link #reset()} starts again at
 * {@code initial}; the connection calls it once it has stayed up for
 * {@link #DEFAULT_STABLE_AFTER}, so a broker that accepts and then drops every connection still
 * meets growing delays.
 *
 * <p>Not thread-safe: owned by one connection (the upstream link's drain thread, or a broker
 * connection under its lock).
 */
public final class Backoff {

    /** The first delay's upper bound. */
    public static final Duration DEFAULT_INITIAL = Duration.ofMillis(100);

    /** The largest delay's upper bound. */
    public static final Duration DEFAULT_CAP = Duration.ofSeconds(30);

    /** How long a connection must stay up before the delays start again at {@link #DEFAULT_INITIAL}. */
    public static final Duration DEFAULT_STABLE_AFTER = Duration.ofSeconds(10);

    private final long initialMillis;
    private final long capMillis;
    private final RandomGenerator random;
    private int attempt;

    /**
     * Delays starting at {@code initial} and doubling up to {@code cap}, drawn from {@code random}.
     *
     * @throws IllegalArgumentException unless {@code 0 < initial <= cap}
     */
    public Backoff(Duration initial, Duration cap, RandomGenerator random) {
        this.initialMillis = initial.toMillis();
        this.capMillis = cap.toMillis();
        this.random = Objects.requireNonNull(random, "random");
        if (initialMillis <= 0 || capMillis < initialMillis) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= cap, was initial=" + initial + " cap=" + cap);
        }
    }

    /** The upper bound of the next delay. */
    public Duration ceiling() {
        return Duration.ofMillis(ceilingMillis(attempt));
    }

    /** The next delay, then moves one step up. */
    public Duration next() {
        long ceiling = ceilingMillis(attempt);
        attempt = Math.min(attempt + 1, 62);
        return Duration.ofMillis((long) Math.floor(random.nextDouble() * (ceiling + 1)));
    }

    /** Starts again at the first step. */
    public void reset() {
        attempt = 0;
    }

    private long ceilingMillis(int step) {
        if (step >= 31) {
            return capMillis;
        }
        return Math.min(capMillis, initialMillis << step);
    }
}
