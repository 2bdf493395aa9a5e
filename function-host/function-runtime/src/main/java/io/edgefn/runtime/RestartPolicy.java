package io.edgefn.runtime;

import java.time.Duration;

/**
 * How the host retries a function whose start failed: the delay before attempt {@code n}
 * ({@code n ≥ 1} counts failures so far) is {@code initialDelay × 2^(n-1)}, capped at
 * {@code maxDelay}, and after {@code maxAttempts} failed attempts the function is marked failed.
 *
 * <p>The defaults, 200 ms doubling to at most 10 s over 6 attempts, give a function that fails
 * because a resource is not ready yet about 15 s to come up, then stop wasting the gateway's CPU.
 *
 * @param initialDelay delay after the first failure
 * @param maxDelay the cap on any delay
 * @param maxAttempts attempts in all before giving up, at least 1
 */
public record RestartPolicy(Duration initialDelay, Duration maxDelay, int maxAttempts) {

    /** 200 ms doubling, at most 10 s, 6 attempts. */
    public static final RestartPolicy DEFAULT = new RestartPolicy(Duration.ofMillis(200), Duration.ofSeconds(10), 6);

    /** Checks every argument at once. */
    public RestartPolicy {
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("restart policy needs 0 <= initialDelay <= maxDelay and maxAttempts >= 1, was "
                    + initialDelay + ", " + maxDelay + ", " + maxAttempts);
        }
    }

    /** The delay after {@code failures} failed attempts. */
    public Duration delayAfter(int failures) {
        long factor = 1L << Math.min(30, Math.max(0, failures - 1));
        long millis = initialDelay.toMillis() * factor;
        return millis > maxDelay.toMillis() || millis < 0 ? maxDelay : Duration.ofMillis(millis);
    }

    /** Whether another attempt may follow {@code failures} failed ones. */
    public boolean mayRetryAfter(int failures) {
        return failures < maxAttempts;
    }
}
