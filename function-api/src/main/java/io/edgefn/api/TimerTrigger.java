package io.edgefn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Triggers a method on a schedule: exactly one of {@link #fixedRate()} or {@link #cron()}.
 *
 * <p>A timer invocation has no message; its method may take a {@link FunctionContext} and
 * {@link Output} parameters. A tick that comes while the previous one still runs is skipped and
 * counted, never queued.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface TimerTrigger {

    /** A fixed rate as an ISO-8601 duration, e.g. {@code "PT0.5S"} or {@code "PT5M"}. */
    String fixedRate() default "";

    /**
     * A six-field NCRONTAB expression with seconds, as Azure Functions uses, evaluated in UTC:
     * {@code second minute hour day-of-month month day-of-week}, e.g. {@code "0 *}{@code /5 * * * *"}
     * for every five minutes.
     */
    String cron() default "";
}
