package io.edgefn.examples.pump;

/**
 * An EVENT frame of the pump's MCU, e.g. {@code pump-restarted} or {@code fail-safe}.
 *
 * @param name what happened
 */
public record PumpEvent(String name) {
}
