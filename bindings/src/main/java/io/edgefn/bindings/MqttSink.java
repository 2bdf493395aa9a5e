package io.edgefn.bindings;

import java.util.concurrent.CompletionStage;

/**
 * Where an {@link io.edgefn.api.MqttPublisher} binding's bytes go: one broker's connection, or the
 * gateway's hub. The host implements it. Thread-safe; never blocks.
 */
@FunctionalInterface
public interface MqttSink {

    /**
     * Publishes {@code payload} to {@code topic}; the stage completes when the broker has it (QoS
     * 1: acknowledged) or fails saying why.
     */
    CompletionStage<Void> publish(String topic, byte[] payload, int qos, boolean retain);
}
