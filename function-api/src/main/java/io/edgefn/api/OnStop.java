package io.edgefn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method the host calls once when the function stops (a new deployment, the host
 * shutting down), after its in-flight invocations drained: flush, close, say goodbye.
 *
 * <p>The method is public, not static, returns {@code void} and takes nothing or one
 * {@link FunctionContext}. It runs on one of the function's threads, only if the function had
 * started (an {@link OnStart} that threw means no stop hook), and within the function's
 * {@link EdgeFunction#timeoutMillis()}: past that it is interrupted and the stop goes on. An
 * exception it throws is logged and counted as a failure of the function; the stop goes on
 * either way. At most one per function; not on a method that has a trigger.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnStop {
}
