package io.edgefn.bindings;

import io.edgefn.api.Message;
import io.edgefn.api.MqttPublisher;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@link MqttPublisher} a parameter receives: turns each payload into bytes — a
 * {@code byte[]} as it is, a {@code String} as UTF-8, a {@link Message} its body, anything else as
 * JSON through the host's codec — and publishes them at once through its {@link MqttSink}.
 *
 * <p>Thread-safe; never blocks; a payload that cannot be written fails its stage, it never throws.
 */
public final class PayloadPublisher implements MqttPublisher {

    private final BodyCodec codec;
    private final MqttSink sink;

    /** A publisher writing payloads with {@code codec} to {@code sink}. */
    public PayloadPublisher(BodyCodec codec, MqttSink sink) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public CompletionStage<Void> publish(String topic, Object payload, int qos, boolean retain) {
        byte[] bytes;
        try {
            bytes = switch (payload) {
                case null -> throw new IllegalArgumentException("cannot publish a null payload to " + topic
                        + ": publish an empty byte[] for an empty message");
                case byte[] b -> b;
                case String s -> s.getBytes(StandardCharsets.UTF_8);
                case Message m -> m.body();
                default -> codec.mapper().writeValueAsBytes(payload);
            };
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e instanceof IllegalArgumentException ? e
                    : new BindingException("cannot write a " + payload.getClass().getName() + " as JSON to publish to "
                    + topic + ": " + e.getMessage(), e));
        }
        try {
            return sink.publish(topic, bytes, qos, retain);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
