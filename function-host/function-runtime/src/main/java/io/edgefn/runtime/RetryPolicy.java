package io.edgefn.runtime;

import java.time.Duration;

/**
 * How the host retries an invocation that failed: up to {@code maxRetries} more attempts, the
 * {@code n}-th ({@code n ≥ 1}) after {@code initialDelay × 2^(n-1)}, capped at {@code maxDelay}.
 * The waits run on the host's scheduler, never as a sleep on a worker thread; the message keeps its
 * place (the function takes nothing else meanwhile when its concurrency is 1). After the last
 * failed attempt the message goes to the function's dead-letter output.
 *
 * <p>The default delays, 100 ms doubling to at most 6.4 s, are those of edgefn 0.1 and give a
 * failing dependency a few seconds to come back without holding a message for long.
 *
 * @param maxRetries   attempts after the first, 0 or more
 * @param initialDelay the wait before the first retry
 * @param maxDelay     the cap on any wait
 */
public record RetryPolicy(int maxRetries, Duration initialDelay, Duration maxDelay) {

    /** No retry: a failure goes to the dead-letter output at once. */
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, Duration.ZERO);

    /** Checks every argument at once. */
    public RetryPolicy {
        if (maxRetries < 0 || initialDelay == null || maxDelay == null || initialDelay.isNegative()
                || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("a retry policy needs maxRetries >= 0 and 0 <= initialDelay <= maxDelay, was "
                    + maxRetries + ", " + initialDelay + ", " + maxDelay);
        }
    }

    /** {@code maxRetries} retries after 100 ms, 200 ms, 400 ms … at most 6.4 s: what a function's {@code retries} asks for. */
    public static RetryPolicy exponential(int maxRetries) {
        return new RetryPolicy(maxRetries, Duration.ofMillis(100), Duration.ofMillis(6_400));
    }

    /** The wait before retry {@code retry} (1 for the first retry). */
    public Duration delayBefore(int retry) {
        long factor = 1L << Math.min(30, Math.max(0, retry - 1));
        long millis = initialDelay.toMillis() * factor;
        return millis > maxDelay.toMillis() || millis < 0 ? maxDelay : Duration.ofMillis(millis);
    }

    /** Whether another attempt may follow {@code failures} failed ones. */
    public boolean mayRetryAfter(int failures) {
        return failures <= maxRetries;
    }
}
