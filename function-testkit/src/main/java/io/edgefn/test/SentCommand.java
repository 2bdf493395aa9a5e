package io.edgefn.test;

import java.util.Map;
import java.util.Objects;

/**
 * A device command a function sent during a test, as {@link ScriptedDevices#sent()} records it.
 *
 * @param deviceId the device it was sent to
 * @param name     the command
 * @param args     its arguments, as the function gave them
 */
public record SentCommand(String deviceId, String name, Map<String, ?> args) {

    /** Copies the arguments. */
    public SentCommand {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(name, "name");
        args = args == null ? Map.of() : Map.copyOf(args);
    }
}
