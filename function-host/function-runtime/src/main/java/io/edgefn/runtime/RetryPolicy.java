package io.edgefn.runtime;

import java.time.Duration;

/**
 * How the host retries an invocation that failed: up to {@code maxRetries} more attempts, the
 * {@code n}-th ({@code n ≥ 1}) after {@code initialDelay × backoff^(n-1)}, capped at {@code maxDelay}.
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
 * @param backoff      what each wait is multiplied by for the next, at least 1
 */
public record RetryPolicy(int maxRetries, Duration initialDelay, Duration maxDelay, double backoff) {

    /** No retry: a failure goes to the dead-letter output at once. */
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, Duration.ZERO);

    /** Checks every argument at once. */
    public RetryPolicy {
        if (maxRetries < 0 || initialDelay == null || maxDelay == null || initialDelay.isNegative()
                || maxDelay.compareTo(initialDelay) < 0 || !(backoff >= 1) || Double.isInfinite(backoff)) {
            throw new IllegalArgumentException("a retry policy needs maxRetries >= 0, 0 <= initialDelay <= maxDelay and a"
                    + " finite backoff >= 1, was " + maxRetries + ", " + initialDelay + ", " + maxDelay + ", " + backoff);
        }
    }

    /** A policy whose waits double: {@code backoff} 2. */
    public RetryPolicy(int maxRetries, Duration initialDelay, Duration maxDelay) {
        this(maxRetries, initialDelay, maxDelay, 2.0);
    }

    /**
     * The policy of a method's {@code @Retry}: {@code maxAttempts - 1} retries after its delay,
     * times its backoff, at most its maxDelay.
     */
    public static RetryPolicy of(io.edgefn.index.RetryDescriptor retry) {
        return new RetryPolicy(retry.maxAttempts() - 1, retry.delayDuration(), retry.maxDelayDuration(), retry.backoff());
    }

    /** {@code maxRetries} retries after 100 ms, 200 ms, 400 ms … at most 6.4 s: what a function's {@code retries} asks for. */
    public static RetryPolicy exponential(int maxRetries) {
        return new RetryPolicy(maxRetries, Duration.ofMillis(100), Duration.ofMillis(6_400));
    }

    /** The wait before retry {@code retry} (1 for the first retry): {@code initialDelay × backoff^(retry-1)}, capped. */
    public Duration delayBefore(int retry) {
        double nanos = initialDelay.toNanos() * Math.pow(backoff, Math.max(0, retry - 1));
        // A double rounds: 100 ms × 2^n must stay exactly that, so whole nanoseconds are taken.
        return !(nanos < maxDelay.toNanos()) ? maxDelay : Duration.ofNanos(Math.round(nanos));
    }

    /** Whether another attempt may follow {@code failures} failed ones. */
    public boolean mayRetryAfter(int failures) {
        return failures <= maxRetries;
    }
}
