package io.edgefn.devices;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.Map;

/**
 * The entry point of this module: finds the {@link DeviceDriverFactory} a device's configuration
 * names (through {@link ServiceLoader}) and creates its driver.
 *
 * <p>Stateless; safe to call from any thread.
 */
public final class DeviceDrivers {

    private DeviceDrivers() {
    }

    /**
     * Creates the driver for {@code config}, not yet started.
     *
     * @throws DeviceDriverException when no driver is registered under {@code config.driver()}
     *                               (the message lists those that are), or the options are invalid
     */
    public static DeviceDriver create(DeviceConfig config, DeviceEnvironment env) {
        DeviceDriverFactory factory = factory(config.driver()).orElseThrow(() -> new DeviceDriverException(
                config.deviceId(), "unknown driver '" + config.driver() + "'; known drivers: " + names()));
        return factory.create(config, env);
    }

    /** The factory registered under {@code name}, if any. */
    public static Optional<DeviceDriverFactory> factory(String name) {
        return Optional.ofNullable(factories().get(name));
    }

    /** The names of every registered driver, sorted. */
    public static List<String> names() {
        return List.copyOf(factories().keySet());
    }

    private static Map<String, DeviceDriverFactory> factories() {
        Map<String, DeviceDriverFactory> byName = new TreeMap<>();
        ClassLoader loader = DeviceDrivers.class.getClassLoader();
        for (DeviceDriverFactory f : ServiceLoader.load(DeviceDriverFactory.class, loader)) {
            byName.putIfAbsent(f.name(), f);
        }
        return byName;
    }
}
