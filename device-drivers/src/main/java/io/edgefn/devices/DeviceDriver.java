package io.edgefn.devices;

import io.edgefn.api.CommandResult;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A running link to one device: it keeps the port open, turns the device's frames into messages
 * for the {@link DeviceListener}, and sends commands.
 *
 * <p>All methods are safe to call from any thread.
 */
public interface DeviceDriver extends AutoCloseable {

    /**
     * Opens the port and starts the link; returns at once (opening and retrying run on the
     * scheduler). A port that cannot be opened is not an error here: the link goes
     * {@link LinkState#OFFLINE} and keeps trying.
     *
     * @throws IllegalStateException when the driver was already started or closed
     */
    void start();

    /** The link's current state. */
    LinkState state();

    /**
     * Sends the command {@code name} with {@code args} (JSON-like values) and completes with the
     * device's acknowledgement, or exceptionally with a
     * {@link io.edgefn.api.DeviceCommandException}: {@code OFFLINE} when the link is down (nothing
     * was sent), {@code TIMEOUT} when every try went unacknowledged, {@code CLOSED} when the driver
     * closed while the command waited. The future is never completed on the caller's lock.
     *
     * @throws IllegalArgumentException when {@code name} is blank or {@code args} cannot be written as JSON
     */
    CompletableFuture<CommandResult> sendCommand(String name, Map<String, ?> args);

    /**
     * Runs the command path once without sending anything — encoding a synthetic command, decoding
     * a synthetic answer — so that the first real command (a shutdown, months after start) finds
     * that code loaded, linked and run. No port, session, sequence number, pending command or
     * counter is touched; callable before {@link #start()}. The default does nothing.
     */
    default void warmUp() {
    }

    /** A snapshot of the driver's counters. */
    DriverStats stats();

    /** Stops the link, closes the port and fails waiting commands with {@code CLOSED}; idempotent. */
    @Override
    void close();
}
