package io.edgefn.test;

import io.edgefn.api.CommandResult;
import io.edgefn.api.DeviceCommandException;
import io.edgefn.api.DeviceCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The devices of a {@link FunctionTestKit}: what a function's {@code DeviceCommands} parameter
 * receives. A test scripts each device's answer to each command; every command sent is recorded.
 *
 * <p>A command with a scripted answer completes with it at once; one with a scripted failure
 * completes exceptionally with a {@link DeviceCommandException} of that reason, as the host's
 * does when a device does not answer; a command nobody scripted fails with
 * {@link DeviceCommandException.Reason#UNKNOWN_DEVICE}, as it would for a device the deployment
 * does not declare, and its message says how to script it.
 *
 * <p>Thread-safe, as {@code DeviceCommands} must be: a function may send from a thread of its own.
 */
public final class ScriptedDevices implements DeviceCommands {

    private record Key(String deviceId, String command) {
    }

    private final Map<Key, CommandResult> answers = new HashMap<>();
    private final Map<Key, DeviceCommandException.Reason> failures = new HashMap<>();
    private final List<SentCommand> sent = new ArrayList<>();

    ScriptedDevices() {
    }

    /** From now on, {@code command} sent to {@code deviceId} completes with {@code result}. */
    public synchronized ScriptedDevices answer(String deviceId, String command, CommandResult result) {
        Key key = key(deviceId, command);
        failures.remove(key);
        answers.put(key, Objects.requireNonNull(result, "result"));
        return this;
    }

    /**
     * From now on, {@code command} sent to {@code deviceId} completes with the device's
     * {@code status} (and no detail), answered after {@code latency}.
     */
    public ScriptedDevices answer(String deviceId, String command, CommandResult.Status status, Duration latency) {
        return answer(deviceId, command, new CommandResult(status, null, latency));
    }

    /**
     * From now on, {@code command} sent to {@code deviceId} gets no answer: it fails with a
     * {@link DeviceCommandException} of {@code reason}.
     */
    public synchronized ScriptedDevices fail(String deviceId, String command, DeviceCommandException.Reason reason) {
        Key key = key(deviceId, command);
        answers.remove(key);
        failures.put(key, Objects.requireNonNull(reason, "reason"));
        return this;
    }

    /** Every command sent so far, in order. */
    public synchronized List<SentCommand> sent() {
        return List.copyOf(sent);
    }

    /** Forgets the commands sent so far (the scripts stay). */
    public synchronized void clearSent() {
        sent.clear();
    }

    @Override
    public synchronized CompletionStage<CommandResult> send(String deviceId, String name, Map<String, ?> args) {
        sent.add(new SentCommand(deviceId, name, args));
        Key key = new Key(deviceId, name);
        CommandResult answer = answers.get(key);
        if (answer != null) {
            return CompletableFuture.completedFuture(answer);
        }
        DeviceCommandException.Reason reason = failures.get(key);
        if (reason != null) {
            return CompletableFuture.failedFuture(new DeviceCommandException(reason, deviceId,
                    "command '" + name + "' to device '" + deviceId + "' failed: " + reason + " (scripted by the test)"));
        }
        return CompletableFuture.failedFuture(new DeviceCommandException(DeviceCommandException.Reason.UNKNOWN_DEVICE,
                deviceId, "no answer is scripted for command '" + name + "' to device '" + deviceId
                + "'; script one with kit.devices().answer(\"" + deviceId + "\", \"" + name + "\", …)"));
    }

    private static Key key(String deviceId, String command) {
        return new Key(Objects.requireNonNull(deviceId, "deviceId"), Objects.requireNonNull(command, "command"));
    }
}
