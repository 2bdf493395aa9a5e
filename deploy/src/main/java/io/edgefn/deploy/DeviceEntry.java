package io.edgefn.deploy;

/**
 * A device attached to the gateway and the driver that talks to it.
 *
 * @param id             the device's id, its key under {@code devices}
 * @param driver         the driver's name; today only {@code sphere-link}
 * @param port           the serial port, e.g. {@code /dev/ttyUSB0}
 * @param baud           the line speed, positive; 115200 when not given
 * @param failSafeMillis how long the device may go without hearing from the host before it puts
 *                       itself in a safe state, or {@code null} when not given
 */
public record DeviceEntry(String id, String driver, String port, int baud, Long failSafeMillis) {

    /** The line speed when a device gives none. */
    public static final int DEFAULT_BAUD = 115_200;
}
