package io.edgefn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as one edgefn function: a named unit that routes address as a module.
 *
 * <p>The name is what routes use: a method with {@code @RouteTrigger(input = "alerts")} on the
 * function {@code pump-shutdown} is the sink of
 * {@code BrokeredEndpoint("/modules/pump-shutdown/inputs/alerts")}, and what it sends to its
 * output {@code outcomes} comes from {@code /messages/modules/pump-shutdown/outputs/outcomes}.
 *
 * <p>The host creates one instance per deployment and may call its trigger methods from several
 * threads at once, up to {@link #maxConcurrency()}; an instance keeps its fields for the life of
 * the deployment, so a function may hold state (a sliding window, a model) guarded as its
 * concurrency requires. With the default concurrency of 1 calls never overlap.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EdgeFunction {

    /**
     * The function's name: letters, digits, {@code -}, {@code _} and {@code .}, starting with a
     * letter; unique within a deployment.
     */
    String value();

    /** How many invocations of this function may run at once; at least 1. */
    int maxConcurrency() default 1;

    /**
     * How long one invocation may run before the host gives up on it, in milliseconds. A timed-out
     * invocation is counted as failed, its thread is interrupted, and its outputs are discarded.
     */
    long timeoutMillis() default 10_000;

    /** How many times a failing invocation is retried before its message is dead-lettered. */
    int retries() default 2;
}
