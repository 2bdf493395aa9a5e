package io.edgefn.devices;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How one device is attached: its id in the deployment, the driver that speaks to it, the port
 * and baud rate, the fail-safe period and driver-specific options.
 *
 * @param deviceId the id the deployment gives the device; messages carry it as
 *                 {@code connectionDeviceId}
 * @param driver   the driver name, e.g. {@code "sphere-link"}
 * @param port     the serial port path ({@code /dev/ttyUSB0}, a pty path or a symlink to one)
 * @param baud     the line speed in baud, positive
 * @param failSafe how long the MCU may hear nothing from the gateway before it takes its own safe
 *                 action, or {@code null} for none
 * @param options  driver-specific options (see the driver's documentation); copied, read-only
 */
public record DeviceConfig(String deviceId, String driver, String port, int baud, Duration failSafe,
                           Map<String, Object> options) {

    /** The usual UART speed of a Sphere board. */
    public static final int DEFAULT_BAUD = 115_200;

    /** Checks every field at once and reports all problems together, naming the device. */
    public DeviceConfig {
        StringBuilder problems = new StringBuilder();
        if (deviceId == null || deviceId.isBlank()) {
            problems.append("; deviceId must not be blank, was: ").append(deviceId);
        }
        if (driver == null || driver.isBlank()) {
            problems.append("; driver must not be blank, was: ").append(driver);
        }
        if (port == null || port.isBlank()) {
            problems.append("; port must not be blank, was: ").append(port);
        }
        if (baud <= 0) {
            problems.append("; baud must be positive, was: ").append(baud);
        }
        if (failSafe != null && (failSafe.isNegative() || failSafe.isZero())) {
            problems.append("; failSafe must be positive or absent, was: ").append(failSafe);
        }
        if (!problems.isEmpty()) {
            throw new DeviceDriverException(String.valueOf(deviceId), problems.substring(2));
        }
        options = options == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** A device on {@code port} at {@code baud} with no fail-safe and no options. */
    public static DeviceConfig of(String deviceId, String driver, String port, int baud) {
        return new DeviceConfig(deviceId, driver, port, baud, null, Map.of());
    }

    /** This configuration with the fail-safe period {@code failSafe} ({@code null} for none). */
    public DeviceConfig withFailSafe(Duration failSafe) {
        return new DeviceConfig(deviceId, driver, port, baud, failSafe, options);
    }

    /** This configuration with option {@code name} set to {@code value}. */
    public DeviceConfig withOption(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(options);
        copy.put(Objects.requireNonNull(name, "name"), value);
        return new DeviceConfig(deviceId, driver, port, baud, failSafe, copy);
    }
}
