package io.edgefn.devices;

/**
 * A kind of device driver, found by {@link java.util.ServiceLoader} under its {@link #name()}
 * (register the implementation in {@code META-INF/services/io.edgefn.devices.DeviceDriverFactory}).
 *
 * <p>Implementations are stateless and safe to call from any thread.
 */
public interface DeviceDriverFactory {

    /** The driver name a deployment uses for this kind of driver, e.g. {@code "sphere-link"}. */
    String name();

    /**
     * Creates a driver for one device, not yet started.
     *
     * @throws DeviceDriverException when the configuration's options are invalid for this driver
     */
    DeviceDriver create(DeviceConfig config, DeviceEnvironment env);
}
