package io.edgefn.examples.pump;

/**
 * One TELEMETRY frame of the pump's MCU, as the Sphere link delivers it.
 *
 * @param ts the MCU's timestamp, epoch milliseconds
 * @param pressure discharge pressure, bar
 * @param temp motor temperature, °C
 * @param rpm pump speed, revolutions per minute
 */
public record Reading(long ts, double pressure, double temp, double rpm) {
}
