package io.edgefn.devices;

/**
 * A device driver that cannot be created or configured: an unknown driver name or an invalid
 * option. The message names the device and the offending value.
 */
public final class DeviceDriverException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String deviceId;

    /** A problem with the driver of {@code deviceId}, described by {@code message}. */
    public DeviceDriverException(String deviceId, String message) {
        super("device '" + deviceId + "': " + message);
        this.deviceId = deviceId;
    }

    /** The device whose driver could not be created. */
    public String deviceId() {
        return deviceId;
    }
}
