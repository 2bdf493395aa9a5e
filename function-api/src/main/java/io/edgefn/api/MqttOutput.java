package io.edgefn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the broker an {@link MqttPublisher} parameter publishes to: one the deployment declares
 * under {@code brokers}, or, with the default empty {@link #broker()}, the gateway's own hub.
 * Without this annotation an {@code MqttPublisher} parameter publishes to the gateway's hub.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface MqttOutput {

    /** The broker's name under the deployment's {@code brokers}, or empty for the gateway's own hub. */
    String broker() default "";
}
