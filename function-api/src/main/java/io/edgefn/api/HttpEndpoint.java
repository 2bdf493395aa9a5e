package io.edgefn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds an {@link HttpCall} parameter to a REST endpoint: its base URL (given here, or read from
 * a setting so each gateway can name its own), the per-call timeout, the retries and the CA to
 * trust. Exactly one of {@link #url()} and {@link #urlSetting()} is given.
 *
 * <p>Retries: a call that fails to connect, times out, or answers 5xx is sent again after
 * {@link #backoffMillis()}, doubling each time, up to {@link #maxAttempts()} attempts in all — for
 * idempotent methods only (GET, HEAD, PUT, DELETE, OPTIONS) unless
 * {@link #retryNonIdempotent()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface HttpEndpoint {

    /** The base URL, {@code http://} or {@code https://}, e.g. {@code https://vendor.example/api}. */
    String url() default "";

    /** The setting whose string value is the base URL, e.g. {@code "vendorUrl"}. */
    String urlSetting() default "";

    /** How long one attempt may take, connecting and reading the whole body, in milliseconds. */
    int timeoutMillis() default 5_000;

    /** Attempts in all, at least 1 (1: no retry). */
    int maxAttempts() default 3;

    /** The wait before the first retry, doubled before each next one, in milliseconds. */
    int backoffMillis() default 100;

    /** Whether POST and PATCH are retried too (they may then take effect twice). */
    boolean retryNonIdempotent() default false;

    /**
     * The setting whose string value is the path of a PEM file of CA certificates to trust for
     * {@code https} (instead of the JVM's), or {@code ""} for the JVM's.
     */
    String trustPemSetting() default "";
}
