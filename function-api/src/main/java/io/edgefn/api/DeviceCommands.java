package io.edgefn.api;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The device-command output binding: sends a command to a device the deployment declares and
 * completes when the device acknowledges it. Declare it as a parameter.
 *
 * <p>The stage completes normally with the device's answer (which may itself say the command
 * failed, see {@link CommandResult#status()}), or exceptionally with a
 * {@link DeviceCommandException} when no answer came: the device is unknown or offline, or every
 * retry went unacknowledged. Either way a function knows whether the machine really acted.
 *
 * <p>Safe to call from any thread, also after the invocation that received it has returned.
 */
public interface DeviceCommands {

    /**
     * Sends the command {@code name} with {@code args} (JSON-like values) to {@code deviceId}.
     */
    CompletionStage<CommandResult> send(String deviceId, String name, Map<String, ?> args);
}
