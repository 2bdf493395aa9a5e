package io.edgefn.examples.pump;

/**
 * A detected anomaly with the evidence behind it.
 *
 * @param deviceId the pump
 * @param detectedAt when the detector decided, epoch milliseconds on the host's clock
 * @param reason {@code hard-limit}, {@code z-score} or {@code slope}
 * @param pressure the pressure that tripped it
 * @param baseline the learned normal pressure
 * @param zScore how many learned standard deviations above normal
 * @param slope pressure slope over the window, bar per second
 * @param consecutive how many readings in a row were anomalous
 */
public record Anomaly(String deviceId, long detectedAt, String reason, double pressure, double baseline,
                      double zScore, double slope, int consecutive) {
}
