package io.edgefn.hub.twin;

import io.edgefn.api.Message;
import java.util.concurrent.CompletionStage;

/**
 * A connected device's or module's connection as {@link DeviceManagement} sees it: what it
 * subscribed to, and how to publish twin, method and cloud-to-device traffic to it. The edge hub
 * makes one per authenticated connection; it owns the topics.
 *
 * <p>Threading: every method may be called from any thread and never blocks (the connection hops
 * to its event loop); a publish to a connection that closed meanwhile is dropped (QoS 0) or fails
 * the returned stage (QoS 1).
 */
public interface DeviceChannel {

    /** What a client subscribes to, as far as device management is concerned. */
    enum Feature {
        /** {@code $iothub/twin/PATCH/properties/desired/#}. */
        DESIRED,
        /** {@code $iothub/methods/POST/#}. */
        METHODS,
        /** {@code devices/{deviceId}/messages/devicebound/#}. */
        CLOUD_TO_DEVICE
    }

    /** Whether the client subscribed to {@code feature} (a current view). */
    boolean subscribed(Feature feature);

    /** Publishes a desired-properties patch (with its {@code $version} inside), QoS 0. */
    void sendDesired(byte[] patch, long version);

    /** Publishes a method request on {@code $iothub/methods/POST/{name}/?$rid={rid}}, QoS 0. */
    void sendMethod(String name, String rid, byte[] payload);

    /**
     * Publishes a cloud-to-device message on {@code devices/{id}/messages/devicebound/{bag}}, QoS 1;
     * the stage completes on the client's PUBACK and fails if the connection closes first.
     */
    CompletionStage<Void> sendCloudToDevice(Message message);
}
