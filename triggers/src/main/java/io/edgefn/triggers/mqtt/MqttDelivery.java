package io.edgefn.triggers.mqtt;

import java.util.Objects;

/**
 * One MQTT message handed to a subscription: its topic, payload and QoS, and how to acknowledge
 * it. A QoS 1 message is acknowledged to the broker only once every subscription it was handed to
 * has called {@link #ack()}; until then the broker holds it and sends it again after a reconnect.
 *
 * <p>Immutable; {@link #ack()} may be called from any thread, more than once (only the first call
 * counts), and never blocks.
 *
 * @param topic     the topic it was published on
 * @param payload   its payload (not copied: do not change it)
 * @param qos       the QoS it was delivered with, 0 or 1
 * @param duplicate whether the broker says it may have been delivered before
 * @param acker     acknowledges it; called at most once by {@link #ack()}
 */
public record MqttDelivery(String topic, byte[] payload, int qos, boolean duplicate, Runnable acker) {

    /** Checks the parts are given. */
    public MqttDelivery {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(acker, "acker");
    }

    /** Acknowledges the message: the consumer has it (queued for its function). */
    public void ack() {
        acker.run();
    }
}
