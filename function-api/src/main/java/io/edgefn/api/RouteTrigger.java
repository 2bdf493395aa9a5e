package io.edgefn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Triggers a method with each message routed to one of its function's inputs.
 *
 * <p>{@code @RouteTrigger(input = "alerts")} on function {@code shutdown} receives what routes send
 * {@code INTO BrokeredEndpoint("/modules/shutdown/inputs/alerts")}. The message is acknowledged to
 * its producer as taken when it is queued; the invocation's outputs are routed when it returns.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RouteTrigger {

    /** The input's name: a valid identifier (letters, digits, {@code -}, {@code _}). */
    String input();
}
