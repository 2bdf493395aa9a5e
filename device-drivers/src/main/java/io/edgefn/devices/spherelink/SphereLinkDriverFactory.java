package io.edgefn.devices.spherelink;

import io.edgefn.devices.DeviceConfig;
import io.edgefn.devices.DeviceDriver;
import io.edgefn.devices.DeviceDriverFactory;
import io.edgefn.devices.DeviceEnvironment;

/**
 * Creates Sphere link drivers; registered with {@link java.util.ServiceLoader} as
 * {@value #NAME}.
 *
 * <p>Options ({@link DeviceConfig#options()}), all whole numbers, defaults from the spec:
 * {@code commandTries} (3), {@code commandRetryMillis} (200), {@code pingAfterQuietMillis} (1000),
 * {@code offlineAfterSilenceMillis} (3000), {@code tickMillis} (100, how often the watchdog looks),
 * {@code reconnectInitialMillis} (100) and {@code reconnectMaxMillis} (5000, the reopen backoff).
 * The fail-safe period is {@link DeviceConfig#failSafe()}, sent to the MCU in HELLO_ACK.
 *
 * <p>Stateless and thread-safe.
 */
public final class SphereLinkDriverFactory implements DeviceDriverFactory {

    /** The driver name in a deployment. */
    public static final String NAME = "sphere-link";

    /** The factory; {@link java.util.ServiceLoader} calls this. */
    public SphereLinkDriverFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * A Sphere link driver for {@code config}, not yet started.
     *
     * @throws io.edgefn.devices.DeviceDriverException naming every unknown or invalid option
     */
    @Override
    public DeviceDriver create(DeviceConfig config, DeviceEnvironment env) {
        return new SphereLinkDriver(config, SphereLinkOptions.from(config), env);
    }
}
