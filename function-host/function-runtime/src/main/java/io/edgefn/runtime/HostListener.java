package io.edgefn.runtime;

import io.edgefn.api.CommandResult;
import io.edgefn.api.Message;

/**
 * Observes what happens in a host: for the demo's story, for tests and for logs. Every method has
 * a default that does nothing.
 *
 * <p>Called on the host's threads (device readers, invokers); implementations must be thread-safe
 * and quick, and must not call back into the host. A listener that throws is logged and ignored.
 */
public interface HostListener {

    /** A message entered the router and was delivered to {@code deliveries} sinks. */
    default void messageRouted(Message message, int deliveries) {
    }

    /** An invocation of {@code function} finished; {@code failure} is null when it succeeded. */
    default void invocationFinished(String function, String invocationId, long durationNanos, Throwable failure) {
    }

    /** A function's lifecycle state changed. */
    default void functionStateChanged(String function, FunctionState state, String reason) {
    }

    /** A command is being sent to a device. */
    default void commandSent(String deviceId, String name, Object args) {
    }

    /** A device answered a command ({@code result} set) or no answer came ({@code failure} set). */
    default void commandCompleted(String deviceId, String name, CommandResult result, Throwable failure) {
    }

    /**
     * A method's {@code @WarmUp} message was bound at activation ({@code failure} null) or did
     * not bind ({@code failure} set); the method was not called either way.
     */
    default void warmUpFinished(String function, String method, Throwable failure) {
    }

    /** A device link came up or went down. */
    default void deviceStateChanged(String deviceId, String state, String reason) {
    }
}
