package io.edgefn.devices;

import io.edgefn.api.Message;

/**
 * Receives what a driver learns from its device.
 *
 * <p>Calls for one driver never overlap and arrive in order. They run on the driver's reader
 * thread, or on the environment's scheduler for changes a timer detects (silence, reconnects),
 * so they must return quickly. An exception thrown here is logged and does not stop the driver.
 */
public interface DeviceListener {

    /**
     * A message from the device: telemetry or an event (application property {@code frameType}
     * {@code telemetry} or {@code event}), or a change of the link between online and offline
     * ({@code frameType} {@code lifecycle}, body {@code {"deviceId": …, "state": "online" |
     * "offline", "linkState": "online" | "offline" | "connecting" | "closed", "reason": …}}, sent
     * when the link enters or leaves {@link LinkState#ONLINE}). All carry {@code contentType}
     * {@code application/json}, {@code contentEncoding} {@code utf-8} and
     * {@code connectionDeviceId} = the configured device id, so a route such as
     * {@code FROM /messages/* WHERE $connectionDeviceId = 'pump-01' AND frameType = 'lifecycle'}
     * can alert on a lost MCU.
     */
    void onMessage(Message message);

    /** The link to {@code deviceId} entered {@code state}, for {@code reason} (a short phrase). */
    void onStateChange(String deviceId, LinkState state, String reason);
}
