package io.edgefn.examples.pump;

/**
 * Sliding-window statistics of one pump's readings, emitted for every reading.
 *
 * @param deviceId the pump's device id
 * @param ts timestamp of the latest reading, epoch milliseconds
 * @param count readings in the window
 * @param pressure the latest pressure, bar
 * @param pressureMean mean pressure over the window
 * @param pressureStddev standard deviation of pressure over the window
 * @param pressureSlope least-squares slope of pressure over the window, bar per second
 * @param tempMean mean temperature over the window
 * @param rpm the latest speed
 * @param spanMillis time from the window's oldest reading to its latest, milliseconds: the slope
 *     is only as good as this span is long
 */
public record Aggregate(String deviceId, long ts, int count, double pressure, double pressureMean,
                        double pressureStddev, double pressureSlope, double tempMean, double rpm, long spanMillis) {
}
