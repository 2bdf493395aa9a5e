package io.edgefn.benchmarks.hub;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The cloud application of {@code bench hub}: one Paho client subscribed with QoS 1 to every
 * device's telemetry ({@code devices/#}) on the cloud broker. It counts what arrives, remembers
 * message ids (from the topic's {@code $.mid}), and records each message's latency from the send
 * time in its payload.
 *
 * <p>Paho calls {@link #messageArrived} on its one callback thread; the read methods are safe
 * from any thread.
 */
final class CloudSubscriber implements MqttCallback, AutoCloseable {

    private final MqttClient client;
    private final AtomicLong received = new AtomicLong();
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final AtomicLong duplicates = new AtomicLong();
    private final Recorder latencies = new Recorder(3);
    private volatile boolean recording;

    private CloudSubscriber(MqttClient client) {
        this.client = client;
    }

    /** Connects to {@code url} as {@code clientId} and subscribes to {@code devices/#}. */
    static CloudSubscriber connect(String url, String clientId) throws MqttException {
        MqttClient client = new MqttClient(url, clientId, new MemoryPersistence());
        CloudSubscriber subscriber = new CloudSubscriber(client);
        client.setCallback(subscriber);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMaxInflight(1000);
        options.setKeepAliveInterval(60);
        client.connect(options);
        client.subscribe("devices/#", 1);
        return subscriber;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        long now = System.nanoTime();
        received.incrementAndGet();
        String id = messageId(topic);
        if (id != null && !ids.add(id)) {
            duplicates.incrementAndGet();
        }
        byte[] payload = message.getPayload();
        if (recording && payload.length >= 8) {
            long sent = ByteBuffer.wrap(payload).getLong();
            latencies.recordValue(Math.max(0, now - sent) / 1_000);
        }
    }

    /** The {@code $.mid} of an IoT Hub telemetry topic's property bag, or null. */
    static String messageId(String topic) {
        int at = topic.indexOf("%24.mid=");
        int skip = 8;
        if (at < 0) {
            at = topic.indexOf("$.mid=");
            skip = 6;
        }
        if (at < 0) {
            return null;
        }
        int end = topic.indexOf('&', at);
        return topic.substring(at + skip, end < 0 ? topic.length() : end);
    }

    /** Starts (or restarts) recording latencies from now on, discarding what was recorded. */
    void startRecording() {
        latencies.reset();
        recording = true;
    }

    /** The latencies (microseconds) recorded since {@link #startRecording}; stops recording. */
    Histogram stopRecording() {
        recording = false;
        return latencies.getIntervalHistogram();
    }

    /** Messages received so far, duplicates included. */
    long received() {
        return received.get();
    }

    /** Distinct message ids received. */
    Set<String> ids() {
        return ids;
    }

    /** Messages received again with an id seen before. */
    long duplicates() {
        return duplicates.get();
    }

    @Override
    public void connectionLost(Throwable cause) {
        System.err.println("edgefn bench hub: the cloud subscriber lost its connection: " + cause);
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
    }

    @Override
    public void close() {
        try {
            client.disconnect(5_000);
            client.close();
        } catch (MqttException e) {
            // Closing after the run.
        }
    }
}
