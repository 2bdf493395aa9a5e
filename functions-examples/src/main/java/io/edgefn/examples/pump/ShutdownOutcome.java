package io.edgefn.examples.pump;

/**
 * What became of a shutdown command.
 *
 * @param deviceId the pump
 * @param acknowledged whether the MCU acknowledged with status ok
 * @param status the MCU's status, or the reason no answer came ({@code TIMEOUT}, {@code OFFLINE} …)
 * @param detail the MCU's or the failure's explanation, or {@code null}
 * @param commandMillis from sending the command to the MCU's answer
 * @param anomalyToAckMillis from the anomaly's detection to the MCU's answer
 * @param reason why the pump was stopped
 */
public record ShutdownOutcome(String deviceId, boolean acknowledged, String status, String detail,
                              long commandMillis, long anomalyToAckMillis, String reason) {
}
