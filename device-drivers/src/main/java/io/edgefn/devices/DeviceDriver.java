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

    /** A snapshot of the driver's counters. */
    DriverStats stats();

    /** Stops the link, closes the port and fails waiting commands with {@code CLOSED}; idempotent. */
    @Override
    void close();
}
