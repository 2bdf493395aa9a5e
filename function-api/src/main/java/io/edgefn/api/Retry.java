package io.edgefn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How the host retries one trigger method when an attempt fails (throws, times out), overriding
 * its function's {@link EdgeFunction#retries()} for that method.
 *
 * <p>Attempt {@code n} ({@code n ≥ 2}) starts {@code delay × backoff^(n-2)} after attempt
 * {@code n-1} failed, capped at {@link #maxDelay()}; the waits are timed by the host's scheduler,
 * never a sleep on a worker, and the message keeps its place meanwhile. After
 * {@link #maxAttempts()} failed attempts the message goes to the function's {@code deadletter}
 * output, carrying the attempt count in the application property {@value #ATTEMPTS_PROPERTY}.
 * A message whose arguments cannot be bound is dead-lettered at once: it would bind the same way
 * again. A timer tick is retried too but has no message, so nothing is dead-lettered for it.
 *
 * <p>{@code @Retry(maxAttempts = 1)} never retries. {@code @Retry} on a
 * {@link DirectMethodTrigger} method is a compile error: a direct call is answered, never
 * retried. The processor checks every element at compile time: {@code maxAttempts ≥ 1},
 * ISO-8601 durations, {@code backoff ≥ 1}, {@code delay ≤ maxDelay}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Retry {

    /** The application property of a dead letter that holds how many attempts were made. */
    String ATTEMPTS_PROPERTY = "edgefn-attempts";

    /** How many attempts in all, the first included; at least 1. */
    int maxAttempts();

    /** The wait before the first retry, an ISO-8601 duration such as {@code "PT0.1S"}; zero or more. */
    String delay() default "PT0.1S";

    /** What each wait is multiplied by for the next one; at least 1 (1 keeps the waits equal). */
    double backoff() default 2.0;

    /** The longest wait, an ISO-8601 duration; at least {@link #delay()}. */
    String maxDelay() default "PT6.4S";
}
