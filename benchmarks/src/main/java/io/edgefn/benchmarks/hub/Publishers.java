package io.edgefn.benchmarks.hub;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The publishing side of {@code bench hub}: one Paho MQTT 3.1.1 connection per device, each
 * publishing QoS 1 messages of a fixed size on its IoT Hub telemetry topic with at most
 * {@code window} unacknowledged at a time, flat out or paced to a total rate. Every payload starts
 * with the send time ({@link System#nanoTime()}, this JVM's) so the subscriber can time it; the
 * topic's property bag carries the message id ({@code $.mid}).
 *
 * <p>Each connection publishes from its own thread; {@link #acked()} is safe from any thread.
 */
final class Publishers implements AutoCloseable {

    /** How a device connects: its client id, topic prefix and credentials (null for anonymous). */
    record Device(String clientId, String topic, String username, char[] password) {
    }

    private final List<MqttAsyncClient> clients = new ArrayList<>();
    private final List<Device> devices;
    private final int window;
    private final int payloadBytes;
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final AtomicLong ackCount = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();

    private Publishers(List<Device> devices, int window, int payloadBytes) {
        this.devices = devices;
        this.window = window;
        this.payloadBytes = payloadBytes;
    }

    /** Connects every device to {@code url}. */
    static Publishers connect(String url, List<Device> devices, int window, int payloadBytes) throws MqttException {
        Publishers p = new Publishers(devices, window, payloadBytes);
        for (Device d : devices) {
            MqttAsyncClient client = new MqttAsyncClient(url, d.clientId(), new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setAutomaticReconnect(false);
            options.setKeepAliveInterval(60);
            options.setMaxInflight(window * 2);
            options.setConnectionTimeout(30);
            if (d.username() != null) {
                options.setUserName(d.username());
                options.setPassword(d.password());
            }
            client.connect(options).waitForCompletion(30_000);
            p.clients.add(client);
        }
        return p;
    }

    /**
     * Publishes from every connection until {@code untilNanos}; {@code totalPerSecond} 0 = flat
     * out. Returns the number of messages published (sent, not necessarily acknowledged).
     */
    long run(long untilNanos, double totalPerSecond) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        AtomicLong sent = new AtomicLong();
        for (int i = 0; i < clients.size(); i++) {
            MqttAsyncClient client = clients.get(i);
            Device device = devices.get(i);
            double perClient = totalPerSecond / clients.size();
            threads.add(Thread.ofPlatform().name("bench-publisher-" + i).start(() ->
                    sent.addAndGet(publish(client, device, untilNanos, perClient))));
        }
        for (Thread t : threads) {
            t.join();
        }
        return sent.get();
    }

    private long publish(MqttAsyncClient client, Device device, long untilNanos, double perSecond) {
        Semaphore room = new Semaphore(window);
        long intervalNanos = perSecond > 0 ? (long) (1e9 / perSecond) : 0;
        long next = System.nanoTime();
        long sent = 0;
        try {
            while (System.nanoTime() < untilNanos) {
                if (intervalNanos > 0) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    next += intervalNanos;
                }
                if (!room.tryAcquire(Math.max(1, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    break;
                }
                String id = device.clientId() + "-" + sequence.incrementAndGet();
                MqttMessage message = new MqttMessage(payload(id));
                message.setQos(1);
                client.publish(device.topic() + "%24.mid=" + id, message, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        acked.add(id);
                        ackCount.incrementAndGet();
                        room.release();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable exception) {
                        failures.incrementAndGet();
                        room.release();
                    }
                });
                sent++;
            }
            // Let the last window's acknowledgements come in.
            room.tryAcquire(window, 30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (MqttException e) {
            failures.incrementAndGet();
            System.err.println("edgefn bench hub: " + device.clientId() + " stopped publishing: " + e);
        }
        return sent;
    }

    private byte[] payload(String id) {
        ByteBuffer b = ByteBuffer.allocate(payloadBytes);
        b.putLong(System.nanoTime());
        byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
        b.put((byte) idBytes.length).put(idBytes, 0, Math.min(idBytes.length, payloadBytes - 9));
        return b.array();
    }

    /** Ids of the messages the server acknowledged (PUBACK). */
    Set<String> acked() {
        return acked;
    }

    /** How many messages the server acknowledged so far. */
    long ackCount() {
        return ackCount.get();
    }

    /** Publishes that failed (the connection dropped, or a PUBACK never came). */
    long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        for (MqttAsyncClient c : clients) {
            try {
                c.disconnect().waitForCompletion(5_000);
                c.close();
            } catch (MqttException e) {
                // Closing after the run: nothing more to measure.
            }
        }
    }
}
