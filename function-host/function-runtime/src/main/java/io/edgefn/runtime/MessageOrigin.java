package io.edgefn.runtime;

import java.util.Objects;

/**
 * Who brought a message into the host, as the host knows it — never as the message claims. The
 * host's ingress writes these into the message's {@code connectionDeviceId},
 * {@code connectionModuleId} and {@code connectionAuthMethod} system properties, overwriting
 * whatever a client put there, so that a route's {@code $connectionDeviceId} condition can be
 * trusted.
 *
 * @param deviceId   the device the message came from (for a function or module: the gateway)
 * @param moduleId   the module or function that sent it, or {@code null} for a device
 * @param authMethod how that sender was authenticated, as IoT Hub writes it
 *                   ({@code {"scope":"device","type":"sas","issuer":"iothub"}}), or {@code null}
 */
public record MessageOrigin(String deviceId, String moduleId, String authMethod) {

    private static final String SERIAL_DEVICE = "{\"scope\":\"device\",\"type\":\"serial\",\"issuer\":\"edgefn\"}";
    private static final String LOCAL_DEVICE = "{\"scope\":\"device\",\"type\":\"local\",\"issuer\":\"edgefn\"}";
    private static final String MANAGEMENT_API_DEVICE =
            "{\"scope\":\"device\",\"type\":\"managementApi\",\"issuer\":\"edgefn\"}";
    private static final String LOCAL_MODULE = "{\"scope\":\"module\",\"type\":\"local\",\"issuer\":\"edgefn\"}";

    /** Checks that a device id is given. */
    public MessageOrigin {
        Objects.requireNonNull(deviceId, "deviceId");
    }

    /** A device on one of the host's serial lines (a Sphere link MCU). */
    public static MessageOrigin serialDevice(String deviceId) {
        return new MessageOrigin(deviceId, null, SERIAL_DEVICE);
    }

    /** Whether this is a device on one of the host's serial lines ({@link #serialDevice}). */
    public boolean serial() {
        return SERIAL_DEVICE.equals(authMethod);
    }

    /** The embedding application itself, sending as device {@code deviceId} (tools, tests, {@link EdgeHost#submit}). */
    public static MessageOrigin localDevice(String deviceId) {
        return new MessageOrigin(deviceId, null, LOCAL_DEVICE);
    }

    /**
     * Device {@code deviceId}, as named by a client of the management API's {@code POST /messages}
     * ({@code edgefn send}) that holds the data directory's token: the device did not authenticate
     * itself, the token's holder vouches for it.
     */
    public static MessageOrigin managementApi(String deviceId) {
        return new MessageOrigin(deviceId, null, MANAGEMENT_API_DEVICE);
    }

    /** A function of this host, on gateway {@code gatewayId}. */
    public static MessageOrigin function(String gatewayId, String function) {
        return new MessageOrigin(gatewayId, Objects.requireNonNull(function, "function"), LOCAL_MODULE);
    }
}
