package io.edgefn.hub.twin;

import java.util.Objects;

/**
 * Whose twin: a device ({@code moduleId} null), or a module or function of a device.
 *
 * @param deviceId the device id (a leaf device, or the gateway for its functions and modules)
 * @param moduleId the module's or function's name, or null for the device itself
 */
public record TwinId(String deviceId, String moduleId) implements Comparable<TwinId> {

    /** Checks that the ids are not empty and could be MQTT topic levels. */
    public TwinId {
        check(Objects.requireNonNull(deviceId, "deviceId"), "deviceId");
        if (moduleId != null) {
            check(moduleId, "moduleId");
        }
    }

    /** A device's twin. */
    public static TwinId device(String deviceId) {
        return new TwinId(deviceId, null);
    }

    /** A module's or function's twin. */
    public static TwinId module(String deviceId, String moduleId) {
        return new TwinId(deviceId, Objects.requireNonNull(moduleId, "moduleId"));
    }

    /** The MQTT client id of this identity: {@code deviceId} or {@code deviceId/moduleId}. */
    public String clientId() {
        return moduleId == null ? deviceId : deviceId + "/" + moduleId;
    }

    @Override
    public int compareTo(TwinId o) {
        return clientId().compareTo(o.clientId());
    }

    @Override
    public String toString() {
        return clientId();
    }

    private static void check(String id, String what) {
        if (id.isEmpty()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c == '/' || c == '+' || c == '#' || c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(what + " '" + id + "' cannot be a topic level ('/', '+', '#' or a control character)");
            }
        }
    }
}
