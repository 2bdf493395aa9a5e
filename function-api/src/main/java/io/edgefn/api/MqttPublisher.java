package io.edgefn.api;

import java.util.concurrent.CompletionStage;

/**
 * The MQTT publish binding: publishes to topics of one broker (see {@link MqttOutput}). Declare it
 * as a parameter.
 *
 * <p>A publish leaves at once, like a {@link DeviceCommands} command and unlike an {@link Output}:
 * it does not wait for the invocation to succeed, so an invocation that is retried may publish
 * again (at least once). Send through an {@code Output} and a route when what is published must
 * depend on the invocation succeeding.
 *
 * <p>A payload is turned into bytes like an output's value: a {@code byte[]} as it is, a
 * {@code String} as UTF-8, anything else as JSON through Jackson. The stage completes when the
 * broker has the message: at QoS 1 on its acknowledgement, at QoS 0 once written; exceptionally
 * with an {@link IllegalArgumentException} for a topic that is empty or holds a wildcard, or an
 * {@link IllegalStateException} when the message cannot be delivered (not connected, closed).
 *
 * <p>Safe to call from any thread, also after the invocation that received it has returned;
 * never blocks.
 */
public interface MqttPublisher {

    /** Publishes {@code payload} to {@code topic} at QoS 1, not retained. */
    default CompletionStage<Void> publish(String topic, Object payload) {
        return publish(topic, payload, 1, false);
    }

    /** Publishes {@code payload} to {@code topic} at {@code qos} (0 or 1), not retained. */
    default CompletionStage<Void> publish(String topic, Object payload, int qos) {
        return publish(topic, payload, qos, false);
    }

    /**
     * Publishes {@code payload} to {@code topic} at {@code qos} (0 or 1); a retained message is kept
     * by the broker for later subscribers.
     */
    CompletionStage<Void> publish(String topic, Object payload, int qos, boolean retain);
}
