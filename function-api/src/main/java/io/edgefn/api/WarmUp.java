package io.edgefn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a synthetic message the host may bind this method's parameters from at activation,
 * before the first real message arrives, so that the first real one finds the binding path —
 * the body's decoding into the parameter's type, the property and output binders — already
 * loaded, linked and run. Meant for the safety path, where the first message in months is the one
 * that matters (an anomaly that must stop a pump).
 *
 * <p>The host only <em>binds</em> the synthetic message: it never calls the method, routes
 * nothing, sends no command and counts no invocation. By adding this annotation the function
 * declares that binding such a message is safe, which holds for the host's own binders (a body, a
 * property, a {@link Message}, {@link DeviceCommands}, an {@link Output}); it is the function's
 * choice because binding may construct the function's own parameter types (a record's
 * constructor runs). A body that does not bind is logged as a warning and the function starts
 * all the same.
 *
 * <pre>{@code
 * @RouteTrigger(input = "anomalies")
 * @WarmUp(body = """
 *         {"deviceId": "warm-up", "reason": "warm-up", "pressure": 0, "detectedAt": 0}""")
 * public ShutdownOutcome onAnomaly(Anomaly anomaly, DeviceCommands devices) { ... }
 * }</pre>
 *
 * <p>Goes on a method with {@link RouteTrigger} or {@link DeviceEventTrigger} (the edgefn
 * annotation processor reports it anywhere else).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface WarmUp {

    /** The synthetic message's body, as UTF-8 text (JSON for a JSON-bound parameter). */
    String body();

    /** The synthetic message's application properties, each {@code name=value}. */
    String[] properties() default {};
}
