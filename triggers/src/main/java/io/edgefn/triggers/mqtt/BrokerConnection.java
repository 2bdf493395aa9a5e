package io.edgefn.triggers.mqtt;

import io.edgefn.triggers.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One connection to an external MQTT broker, shared by every function of a host that subscribes
 * or publishes there; it reconnects on its own and subscribes again each time.
 *
 * <h2>Design</h2>
 * Each connect is a new Paho {@link MqttAsyncClient} with its own generation number, driven by
 * callbacks only: nothing here waits for the network. A connect that fails or a connection that is
 * lost closes that client and schedules the next connect on the injected scheduler after a
 * {@link Backoff} delay — full jitter, 100 ms doubling to a 30 s cap, back at 100 ms after a
 * connection that stayed up 10 s — the upstream link's numbers. A callback of an older
 * generation changes nothing, so a late failure of a dead client cannot tear down its successor.
 *
 * <p>The session is persistent ({@code cleanSession=false}) under a fixed client id and Paho
 * acknowledges nothing by itself ({@code setManualAcks(true)}): a QoS 1 message is acknowledged
 * once every subscription it matched has {@linkplain MqttDelivery#ack() acknowledged} it (its
 * function has it queued). One not acknowledged when the connection drops, or when the host stops,
 * stays with the broker, which sends it again on the next connect under that client id. A message
 * matching no subscription (one a former deployment subscribed to) is acknowledged and dropped.
 *
 * <h2>Threads</h2>
 * {@link #subscribe} before {@link #start}; {@link #start}, {@link #publish} and {@link #close}
 * from any thread, never blocking (close waits nothing: the client's disconnect finishes in the
 * background). Subscriptions' consumers run on Paho's callback thread and must not block: they
 * queue the message and acknowledge it then or later.
 */
public final class BrokerConnection implements AutoCloseable {

    /** How long a connect may take before it counts as failed. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The MQTT keep-alive: a dead connection is noticed within about 1.5 times this. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(30);
    /** Publishes in flight at once, at most; beyond it a publish fails at once rather than queue. */
    static final int MAX_INFLIGHT = 1000;

    /**
     * Where a broker is and who the host is there. {@link #toString()} never shows the password.
     *
     * @param name     the broker's name in the deployment
     * @param uri      {@code mqtt://host:port} or {@code mqtts://host:port}
     * @param clientId the client id of the host's persistent session there
     * @param username the user name, or {@code null}
     * @param password the password, or {@code null}
     * @param sockets  the TLS socket factory of an {@code mqtts} broker with its own CA, or {@code null}
     */
    public record Settings(String name, String uri, String clientId, String username, char[] password,
                           SSLSocketFactory sockets) {
        /** Checks the required parts. */
        public Settings {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(clientId, "clientId");
        }

        @Override
        public String toString() {
            return "Settings[name=" + name + ", uri=" + uri + ", clientId=" + clientId + ", username=" + username + "]";
        }
    }

    /** What the connection tells its owner; called on Paho's or the scheduler's threads, must not block. */
    public interface Listener {
        /** Connected and subscribed again. */
        default void connected(String broker, String uri) {
        }

        /** A connect failed or the connection was lost; the next try is in {@code retryIn}. */
        default void disconnected(String broker, String problem, Duration retryIn) {
        }
    }

    private record Subscription(List<String> filters, int qos, Consumer<MqttDelivery> consumer) {
    }

    /** One client of one generation. */
    private record Session(long generation, MqttAsyncClient client, Instant connectedAt) {
    }

    private final Settings settings;
    private final ScheduledExecutorService scheduler;
    private final InstantSource clock;
    private final Listener listener;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final Object lock = new Object();
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final Backoff backoff;
    // Guarded by lock.
    private Session current;
    private Instant upSince;
    private boolean started;
    private boolean closed;
    private volatile String lastProblem;

    /**
     * A connection to {@code settings}' broker; nothing connects until {@link #start()}.
     *
     * @param scheduler runs connects and reconnect delays
     * @param random    the jitter of the reconnect delays
     */
    public BrokerConnection(Settings settings, ScheduledExecutorService scheduler, InstantSource clock,
                            RandomGenerator random, Listener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.backoff = new Backoff(Backoff.DEFAULT_INITIAL, Backoff.DEFAULT_CAP, random);
    }

    /** The broker's name. */
    public String name() {
        return settings.name();
    }

    /**
     * Subscribes {@code consumer} to {@code filters} (valid MQTT filters) at {@code qos} (0 or 1) on
     * every connection; before {@link #start()} only.
     */
    public void subscribe(List<String> filters, int qos, Consumer<MqttDelivery> consumer) {
        if (qos != 0 && qos != 1) {
            throw new IllegalArgumentException("qos is 0 or 1, not " + qos);
        }
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("broker " + settings.name() + ": subscribe before start()");
            }
            subscriptions.add(new Subscription(List.copyOf(filters), qos, Objects.requireNonNull(consumer)));
        }
    }

    /** Starts connecting in the background; returns at once. */
    public void start() {
        synchronized (lock) {
            if (started || closed) {
                return;
            }
            started = true;
        }
        schedule(Duration.ZERO);
    }

    /** Whether a connection is up now (its subscriptions may still be on their way: see {@link #connects()}). */
    public boolean isConnected() {
        Session s;
        synchronized (lock) {
            s = current;
        }
        return s != null && s.client().isConnected();
    }

    /** How many times it has connected and subscribed (counted at the SUBACK). */
    public long connects() {
        return connects.get();
    }

    /** How many messages arrived. */
    public long received() {
        return received.get();
    }

    /** Why the last connect failed or connection was lost, or {@code null}. */
    public String lastProblem() {
        return lastProblem;
    }

    /**
     * Publishes {@code payload} to {@code topic}; the stage completes when the broker has it (QoS 1:
     * its PUBACK; QoS 0: written), or fails with an {@link IllegalArgumentException} (bad topic or
     * QoS) or an {@link IllegalStateException} (not connected, too many in flight, closed).
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retain) {
        if (!TopicFilters.isTopicName(topic)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("cannot publish to topic '" + topic
                    + "' on broker " + settings.name() + ": a topic is not empty and holds no '+' or '#'"));
        }
        if (qos != 0 && qos != 1) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("qos is 0 or 1, not " + qos));
        }
        Session s;
        synchronized (lock) {
            s = closed ? null : current;
        }
        if (s == null || !s.client().isConnected()) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker " + settings.name() + " ("
                    + settings.uri() + ") is not connected" + (lastProblem == null ? "" : ": " + lastProblem)));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        MqttMessage message = new MqttMessage(payload);
        message.setQos(qos);
        message.setRetained(retain);
        try {
            s.client().publish(topic, message, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    done.complete(null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    done.completeExceptionally(new IllegalStateException("publishing to " + topic + " on broker "
                            + settings.name() + " failed: " + describe(e), e));
                }
            });
        } catch (MqttException | RuntimeException e) {
            done.completeExceptionally(new IllegalStateException("publishing to " + topic + " on broker "
                    + settings.name() + " failed: " + describe(e), e));
        }
        return done;
    }

    /** Disconnects and stops reconnecting; messages not yet acknowledged stay with the broker. */
    @Override
    public void close() {
        Session s;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = current;
            current = null;
            generation.incrementAndGet();
        }
        if (s != null) {
            dispose(s.client(), true);
        }
    }

    private void schedule(Duration delay) {
        try {
            scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            lastProblem = "the host's scheduler is shut down";
        }
    }

    /** One connect attempt (scheduler thread); its outcome arrives on Paho's threads. */
    private void connect() {
        long gen;
        synchronized (lock) {
            if (closed) {
                return;
            }
            gen = generation.incrementAndGet();
        }
        MqttAsyncClient client = null;
        try {
            client = new MqttAsyncClient(settings.uri().replaceFirst("^mqtts://", "ssl://").replaceFirst("^mqtt://", "tcp://"),
                    settings.clientId(), new MemoryPersistence());
            client.setManualAcks(true);
            MqttAsyncClient c = client;
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    failed(gen, c, "connection lost: " + describe(cause));
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    deliver(c, topic, message);
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            client.connect(options(), null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    connected(gen, c);
                    subscribeAll(gen, c);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    failed(gen, c, "cannot connect: " + describe(e));
                }
            });
        } catch (MqttException | RuntimeException e) {
            failed(gen, client, "cannot connect: " + describe(e));
        }
    }

    private MqttConnectOptions options() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(false);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) CONNECT_TIMEOUT.toSeconds());
        o.setKeepAliveInterval((int) KEEP_ALIVE.toSeconds());
        o.setMaxInflight(MAX_INFLIGHT);
        if (settings.username() != null) {
            o.setUserName(settings.username());
        }
        if (settings.password() != null) {
            o.setPassword(settings.password());
        }
        if (settings.sockets() != null) {
            o.setSocketFactory(settings.sockets());
        }
        return o;
    }

    private void subscribeAll(long gen, MqttAsyncClient client) {
        List<String> filters = new ArrayList<>();
        List<Integer> qos = new ArrayList<>();
        synchronized (lock) {
            for (Subscription s : subscriptions) {
                for (String f : s.filters()) {
                    int at = filters.indexOf(f);
                    if (at < 0) {
                        filters.add(f);
                        qos.add(s.qos());
                    } else {
                        qos.set(at, Math.max(qos.get(at), s.qos()));
                    }
                }
            }
        }
        if (filters.isEmpty()) {
            up(gen, client);
            return;
        }
        try {
            client.subscribe(filters.toArray(String[]::new), qos.stream().mapToInt(Integer::intValue).toArray(), null,
                    new IMqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken token) {
                            for (int granted : token.getGrantedQos()) {
                                if (granted == 0x80) {
                                    failed(gen, client, "the broker refused the subscription to " + filters);
                                    return;
                                }
                            }
                            up(gen, client);
                        }

                        @Override
                        public void onFailure(IMqttToken token, Throwable e) {
                            failed(gen, client, "subscribing to " + filters + " failed: " + describe(e));
                        }
                    });
        } catch (MqttException | RuntimeException e) {
            failed(gen, client, "subscribing to " + filters + " failed: " + describe(e));
        }
    }

    /**
     * The client of {@code gen} is connected: publishes may go out from now on. A persistent
     * session's waiting messages can arrive, and be handled and answered, before the SUBACK.
     */
    private void connected(long gen, MqttAsyncClient client) {
        synchronized (lock) {
            if (!closed && gen == generation.get()) {
                current = new Session(gen, client, clock.instant());
                upSince = clock.instant();
            }
        }
    }

    /** The client of {@code gen} is connected and subscribed. */
    private void up(long gen, MqttAsyncClient client) {
        synchronized (lock) {
            if (closed || gen != generation.get()) {
                return;
            }
        }
        connects.incrementAndGet();
        lastProblem = null;
        listener.connected(settings.name(), settings.uri());
    }

    /** A connect or a connection of generation {@code gen} failed: close it and, if it is the current one, retry. */
    private void failed(long gen, MqttAsyncClient client, String problem) {
        Duration delay;
        synchronized (lock) {
            if (closed || gen != generation.get()) {
                delay = null;
            } else {
                current = null;
                if (upSince != null && Duration.between(upSince, clock.instant()).compareTo(Backoff.DEFAULT_STABLE_AFTER) >= 0) {
                    backoff.reset();
                }
                upSince = null;
                delay = backoff.next();
            }
        }
        if (client != null) {
            // Not on Paho's own callback thread: closing a client from its callbacks can deadlock.
            try {
                scheduler.execute(() -> dispose(client, false));
            } catch (RejectedExecutionException e) {
                dispose(client, false);
            }
        }
        if (delay == null) {
            return;
        }
        lastProblem = problem;
        listener.disconnected(settings.name(), problem, delay);
        schedule(delay);
    }

    /** Hands a message to every subscription it matches; acknowledges it once all of them did. */
    private void deliver(MqttAsyncClient client, String topic, MqttMessage message) {
        received.incrementAndGet();
        List<Consumer<MqttDelivery>> consumers = new ArrayList<>(1);
        synchronized (lock) {
            for (Subscription s : subscriptions) {
                if (s.filters().stream().anyMatch(f -> TopicFilters.matches(f, topic))) {
                    consumers.add(s.consumer());
                }
            }
        }
        int id = message.getId();
        int qos = message.getQos();
        Runnable brokerAck = () -> {
            if (qos > 0) {
                try {
                    client.messageArrivedComplete(id, qos);
                } catch (MqttException | RuntimeException e) {
                    // The connection is gone: the broker sends the message again on the next one.
                }
            }
        };
        if (consumers.isEmpty()) {
            brokerAck.run();
            return;
        }
        AtomicInteger waiting = new AtomicInteger(consumers.size());
        for (Consumer<MqttDelivery> consumer : consumers) {
            AtomicBoolean once = new AtomicBoolean();
            MqttDelivery delivery = new MqttDelivery(topic, message.getPayload(), Math.min(qos, 1), message.isDuplicate(),
                    () -> {
                        if (once.compareAndSet(false, true) && waiting.decrementAndGet() == 0) {
                            brokerAck.run();
                        }
                    });
            try {
                consumer.accept(delivery);
            } catch (Throwable e) {
                // A consumer is the host's own code, which queues; it must not take the others down.
                lastProblem = "a subscription's consumer failed on " + topic + ": " + describe(e);
            }
        }
    }

    private void dispose(MqttAsyncClient client, boolean disconnect) {
        try {
            if (disconnect && client.isConnected()) {
                client.disconnect(0, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        closeQuietly(client);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        closeQuietly(client);
                    }
                });
                return;
            }
            client.disconnectForcibly(0, 100, false);
        } catch (MqttException | RuntimeException e) {
            // Already disconnected: closing is all that is left.
        }
        closeQuietly(client);
    }

    private static void closeQuietly(MqttAsyncClient client) {
        try {
            client.close(true);
        } catch (MqttException | RuntimeException e) {
            // Nothing more to free.
        }
    }

    private static String describe(Throwable e) {
        if (e == null) {
            return "no reason given";
        }
        Throwable cause = e.getCause() != null && e.getCause() != e ? e.getCause() : null;
        return e.getMessage() + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")");
    }
}
