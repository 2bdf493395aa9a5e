package io.edgefn.api;

/**
 * A device command that got no answer: why, and which device. Completes the stage returned by
 * {@link DeviceCommands#send}.
 */
public final class DeviceCommandException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a command got no answer. */
    public enum Reason {
        /** The deployment declares no device with that id. */
        UNKNOWN_DEVICE,
        /** The device's link is down; nothing was sent. */
        OFFLINE,
        /** The command was sent, and resent, and never acknowledged. */
        TIMEOUT,
        /** The host is shutting down or the link closed while the command waited. */
        CLOSED
    }

    private final Reason reason;
    private final String deviceId;

    /** A failure of a command to {@code deviceId} for {@code reason}, described by {@code message}. */
    public DeviceCommandException(Reason reason, String deviceId, String message) {
        super(message);
        this.reason = reason;
        this.deviceId = deviceId;
    }

    /** Why the command got no answer. */
    public Reason reason() {
        return reason;
    }

    /** The device the command was for. */
    public String deviceId() {
        return deviceId;
    }
}
