package io.edgefn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method the host calls once after it created the function's instance and before the
 * function takes any work: open a connection, load a model, check settings.
 *
 * <p>The method is public, not static, returns {@code void} (a value is ignored, with a warning)
 * and takes nothing or one {@link FunctionContext} (its settings, logger and clock; it has no
 * message). It runs in the start attempt, on the function's own thread, within the host's start
 * timeout: if it throws, the start failed, and the host retries the whole start (a new instance,
 * then this method again) per its restart policy, as for a constructor that throws. At most one
 * per function; not on a method that has a trigger.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnStart {
}
