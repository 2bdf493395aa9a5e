package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import io.edgefn.api.MqttTrigger;
import io.edgefn.buffer.OfflineBuffer;
import io.edgefn.triggers.mqtt.MqttDelivery;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Feeds one {@code @MqttTrigger} method's function queue with what its subscription receives,
 * never blocking the MQTT client's thread.
 *
 * <p>A message enters the queue as a routed message does (same retries, dead letter), with its
 * topic as the application property {@value MqttTrigger#TOPIC_PROPERTY}, and is acknowledged as
 * soon as it is queued. When the queue is full a QoS 1 message waits here, unacknowledged, in
 * arrival order, until the queue has room again ({@link FunctionRuntime#whenRelieved}): the broker
 * holds back what it has not had acknowledged (its in-flight window), and sends it again after a
 * reconnect or a restart should the host never take it. A QoS 0 message that finds the queue full
 * while others wait beyond {@link #MAX_WAITING_QOS0} is dropped and counted: the broker would not
 * send it again anyway.
 *
 * <p>Thread-safe: deliveries from the client's thread, relief from the function's consumer thread.
 */
final class MqttInput implements Consumer<MqttDelivery> {

    /** QoS 0 messages waiting for room at most; beyond this they are dropped. */
    static final int MAX_WAITING_QOS0 = 1000;

    private final FunctionRuntime function;
    private final String key;
    private final ArrayDeque<MqttDelivery> waiting = new ArrayDeque<>();
    private final LongAdder dropped = new LongAdder();
    // Guarded by waiting.
    private boolean reliefAsked;
    private boolean asking;

    /**
     * @param function the function whose queue it feeds
     * @param key      the queue key of the trigger method
     */
    MqttInput(FunctionRuntime function, String key) {
        this.function = function;
        this.key = key;
    }

    @Override
    public void accept(MqttDelivery delivery) {
        synchronized (waiting) {
            if (waiting.isEmpty() && offer(delivery)) {
                return;
            }
            if (delivery.qos() == 0 && waiting.size() >= MAX_WAITING_QOS0) {
                dropped.increment();
                delivery.ack();
                return;
            }
            waiting.addLast(delivery);
            askRelief();
        }
    }

    /** How many messages wait for room, unacknowledged. */
    int waiting() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    /** How many QoS 0 messages were dropped on a full queue. */
    long dropped() {
        return dropped.sum();
    }

    private void drain() {
        synchronized (waiting) {
            reliefAsked = false;
            while (!waiting.isEmpty()) {
                if (!offer(waiting.peekFirst())) {
                    if (!asking) {
                        askRelief();
                    }
                    // Else relief came at once and the queue still refuses (closed, stopping): asking
                    // again would loop. What waits stays unacknowledged; the next delivery asks again.
                    return;
                }
                waiting.removeFirst();
            }
        }
    }

    private void askRelief() {
        if (!reliefAsked) {
            reliefAsked = true;
            // Runs at once when the queue already has room again: then on this thread, re-entering the lock.
            asking = true;
            try {
                function.whenRelieved(this::drain);
            } finally {
                asking = false;
            }
        }
    }

    /** Queues {@code delivery} without waiting and acknowledges it; false when the queue is full. */
    private boolean offer(MqttDelivery delivery) {
        Message message = Message.builder().body(delivery.payload())
                .property(MqttTrigger.TOPIC_PROPERTY, delivery.topic()).build();
        boolean queued;
        try {
            queued = function.offer(message, key, OfflineBuffer.DEFAULT_PRIORITY, Duration.ZERO, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queued = false;
        }
        if (queued) {
            delivery.ack();
        }
        return queued;
    }
}
