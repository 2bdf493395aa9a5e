package io.edgefn.runtime;

import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * The gateway's own MQTT hub as functions see it: {@code @MqttTrigger}s without a broker subscribe
 * here and {@code MqttPublisher}s without a broker publish here. The edge hub implements it; give
 * it to {@link EdgeHost.Builder#localBroker}. A host without one refuses a deployment whose
 * functions need it.
 *
 * <p>Thread-safe. {@link #subscribe} is called while the host starts, before it takes messages;
 * consumers are called on the hub's threads (its event loops), in the order the hub takes each
 * client's messages, and must not block. {@link #publish} never blocks.
 */
public interface LocalBroker {

    /** A subscription; {@link #cancel()} stops its deliveries (idempotent). */
    interface Subscription {
        /** Stops delivering to the subscription's consumer. */
        void cancel();
    }

    /**
     * Delivers to {@code consumer} the topic and payload of every message a client of the hub
     * publishes on a topic matching {@code filter} (a valid MQTT filter), after the hub has taken it
     * as usual (routed, acknowledged to its client): a subscription is a tap, it takes nothing away
     * from the routes. {@code qos} (0 or 1) is what the subscriber asked for; the hub has already
     * acknowledged the message to its publisher, so nothing is held back for a slow subscriber.
     */
    Subscription subscribe(String filter, int qos, BiConsumer<String, byte[]> consumer);

    /**
     * Sends {@code payload} on {@code topic} to the connected clients subscribed to a matching filter
     * that they are allowed to subscribe to; completes when it has been handed to them (a message
     * no client wants completes too). Fails with an {@link IllegalArgumentException} for a topic the
     * hub never lets a function publish to.
     */
    CompletionStage<Void> publish(String topic, byte[] payload, int qos, boolean retain);
}
