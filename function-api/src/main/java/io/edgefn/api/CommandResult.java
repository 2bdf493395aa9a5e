package io.edgefn.api;

import java.time.Duration;
import java.util.Objects;

/**
 * A device's answer to a command: its status, an optional detail, and how long the answer took
 * from the first send.
 *
 * @param status what the device said
 * @param detail the device's explanation, or {@code null}
 * @param latency from sending the command to receiving the answer
 */
public record CommandResult(Status status, String detail, Duration latency) {

    /** What a device answered. */
    public enum Status {
        /** The device carried the command out. */
        OK,
        /** The device tried and failed; {@link #detail()} says why. */
        ERROR,
        /** The device does not know the command. */
        UNKNOWN_COMMAND
    }

    /** Checks that status and latency are present. */
    public CommandResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(latency, "latency");
    }

    /** Whether the device carried the command out. */
    public boolean ok() {
        return status == Status.OK;
    }
}
