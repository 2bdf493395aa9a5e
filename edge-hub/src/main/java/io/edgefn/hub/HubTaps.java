package io.edgefn.hub;

import io.edgefn.runtime.LocalBroker;
import io.edgefn.triggers.mqtt.TopicFilters;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The edge hub as the functions' local MQTT broker ({@link LocalBroker}): what clients publish as
 * telemetry is tapped for the functions' {@code @MqttTrigger}s, and what functions publish reaches
 * the connected clients subscribed to a matching topic.
 *
 * <p>Created before the host (give it to {@code EdgeHost.Builder.localBroker}) and attached to the
 * hub once the hub runs ({@code EdgeHub.start(…, taps)}): the host subscribes while it starts, the
 * hub comes up after it. A function's publish before the hub is attached fails.
 *
 * <p>Decisions, written down in {@code docs/writing-functions.md}:
 * <ul>
 *   <li>A tap sees a client's telemetry after the hub has offered it to the routes and the routes
 *       took it: a tap is an extra reader, it never takes telemetry away from the routes, and
 *       what the routes refuse (the client is told so) is not tapped either. The topic is the one the
 *       client published on, {@code devices/{id}/messages/events/{property bag}}.</li>
 *   <li>A function's publish goes to the clients connected now whose subscriptions match the
 *       topic; the hub let each client subscribe only to its own topics (e.g.
 *       {@code devices/{id}/messages/devicebound/#}), so a client never receives another device's
 *       messages. It is sent at QoS 0 (a client that is not connected misses it; use the device's
 *       cloud-to-device queue for messages that must wait) and the stage completes once it is
 *       handed to those clients. Topics under {@code $iothub/} are refused: functions must not
 *       forge twin or method traffic.</li>
 * </ul>
 *
 * <p>Thread-safe. Tap consumers run on the publishing client's event loop and must not block.
 */
public final class HubTaps implements LocalBroker {

    private record Tap(String filter, BiConsumer<String, byte[]> consumer) {
    }

    private final CopyOnWriteArrayList<Tap> taps = new CopyOnWriteArrayList<>();
    private volatile EdgeHub hub;

    /** Taps with no hub yet. */
    public HubTaps() {
    }

    /** Serves {@code hub}'s clients from now on; called by {@link EdgeHub#start}. */
    void attach(EdgeHub hub) {
        this.hub = Objects.requireNonNull(hub, "hub");
    }

    @Override
    public Subscription subscribe(String filter, int qos, BiConsumer<String, byte[]> consumer) {
        Tap tap = new Tap(Objects.requireNonNull(filter, "filter"), Objects.requireNonNull(consumer, "consumer"));
        taps.add(tap);
        return () -> taps.remove(tap);
    }

    @Override
    public CompletionStage<Void> publish(String topic, byte[] payload, int qos, boolean retain) {
        if (!TopicFilters.isTopicName(topic) || topic.startsWith("$")) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a function cannot publish to topic '" + topic
                    + "' of the gateway's hub: a topic is not empty, holds no '+' or '#', and is not a '$' (IoT Hub) topic"));
        }
        EdgeHub h = hub;
        if (h == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the gateway's hub is not running yet"));
        }
        h.deliverToSubscribers(topic, payload, retain);
        return CompletableFuture.completedFuture(null);
    }

    /** Whether any function taps telemetry: the hub skips the work when none does. */
    boolean any() {
        return !taps.isEmpty();
    }

    /** Hands a client's telemetry on {@code topic} to every tap whose filter matches; on the client's event loop. */
    void telemetry(String topic, byte[] payload) {
        for (Tap tap : taps) {
            if (TopicFilters.matches(tap.filter(), topic)) {
                try {
                    tap.consumer().accept(topic, payload);
                } catch (RuntimeException e) {
                    // The host's own queueing code: it must not break the client's connection.
                    org.slf4j.LoggerFactory.getLogger(HubTaps.class).error("an MQTT tap on {} failed: {}", tap.filter(),
                            e.toString());
                }
            }
        }
    }
}
