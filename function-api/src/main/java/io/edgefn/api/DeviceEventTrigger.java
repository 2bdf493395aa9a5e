package io.edgefn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Triggers a method with each message (frame) of one device of the deployment: sugar for a route.
 *
 * <p>{@code @DeviceEventTrigger(device = "pump-01")} on function {@code pump-watch} makes the host
 * add the route
 * {@code FROM /messages/* WHERE $connectionDeviceId = 'pump-01' INTO BrokeredEndpoint("/modules/pump-watch/inputs/device.pump-01")}
 * to the deployment's own routes when it loads the deployment; {@code edgefn route-check
 * --deployment} lists it with them. The generated input {@code device.<device>} has a dot, which
 * no input a user names may have, so it never clashes with a {@link RouteTrigger}. A deployment
 * whose {@code devices} lack the device is refused. The method then runs like a
 * {@link RouteTrigger} method: same parameters, {@link SendTo}, retries and dead letter.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface DeviceEventTrigger {

    /**
     * The device's id, a key of the deployment's {@code devices}: 1 to 128 letters, digits,
     * {@code -}, {@code _}, {@code .} and {@code :}, starting with a letter or digit.
     */
    String device();
}
