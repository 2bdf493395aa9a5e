package io.edgefn.upstream;

import io.edgefn.triggers.Backoff;
import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.buffer.Cursor;
import io.edgefn.runtime.UpstreamRecords;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
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
import org.eclipse.paho.client.mqttv3.ScheduledExecutorPingSender;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's link to the cloud: drains the offline buffer's {@code $upstream} cursor to an MQTT
 * broker or Azure IoT Hub with QoS 1, at least once.
 *
 * <h2>Design</h2>
 * One drain thread ({@code edgefn-upstream-drain}) owns the lifecycle ({@link UpstreamState}) and
 * does all the blocking: it connects, then repeatedly polls the cursor for as many records as the
 * in-flight window has room for ({@link #DEFAULT_WINDOW}), publishes each with QoS 1 on the topic
 * {@link UpstreamTopics} gives, and acknowledges a record to the cursor only when the broker's
 * PUBACK arrives. The cursor is the only store: Paho keeps nothing ({@code MemoryPersistence},
 * clean session, no disconnected buffer, no automatic reconnect). When the connection is lost the
 * thread closes that client, {@link Cursor#rewind() rewinds} the cursor so every unacknowledged
 * record goes again, waits a {@link Backoff} delay (full jitter, 100 ms doubling to a 30 s cap,
 * reset after a connection that stayed up 10 s) and reconnects with a new client.
 *
 * <p>Each connection is a {@code Session} with its own generation number, Paho client, threads and
 * window. Paho calls back on its own threads; a callback touches only its session (releasing a
 * window slot, marking it lost) and the thread-safe cursor, and a callback of an old generation
 * never touches the link's state — so a late failure from a dead connection cannot tear down the
 * new one. A PUBACK is acknowledged to the cursor whatever its generation: the broker has the
 * record, and acknowledging twice is harmless.
 *
 * <p>In IoT Hub mode with a shared access key the password is a SAS token signed for
 * {@link #SAS_LIFETIME}; the link reconnects on its own {@link #SAS_RENEW_BEFORE} before it expires
 * (a planned reconnect: no delay), signing a fresh token each time it connects.
 *
 * <p>With an {@link InboundHandler} the link also carries device management: after each connect
 * it subscribes (QoS 1) to the handler's filters before it reports the connection, hands what
 * arrives to the handler on Paho's callback thread (the handler must only queue it), and
 * {@link #publish(String, byte[])} sends answers and reported patches on the current connection.
 *
 * <h2>Threads</h2>
 * {@link #start} returns at once; {@link #stats()} may be called from any thread; {@link #close()}
 * from any thread but a Paho callback. The link never blocks its caller's threads beyond
 * {@link #close()} waiting for the drain thread to finish. All its threads are daemons; Paho
 * renames the pool threads it runs on ({@code MQTT Rec: …}).
 */
public final class UpstreamLink implements AutoCloseable {

    /** Records published and not yet acknowledged by the broker, at most. */
    public static final int DEFAULT_WINDOW = 64;

    /** How long a SAS token is valid. */
    public static final Duration SAS_LIFETIME = Duration.ofHours(1);

    /** How long before its SAS token expires the link reconnects with a new one. */
    public static final Duration SAS_RENEW_BEFORE = Duration.ofMinutes(5);

    /**
     * The largest message body IoT Hub takes from a device, 262,143 bytes (its 256 KB limit). In
     * IoT Hub mode a bigger record is dropped, not published: the hub would close the connection
     * without PUBACK, the link would rewind and resend it, and it would block everything behind it
     * forever. Brokers have their own limits, which the link does not guess: in broker mode a
     * record of any size is published.
     */
    public static final int IOT_HUB_MAX_MESSAGE_BYTES = 262_143;

    /** The IoT Hub API version in the MQTT username. */
    public static final String IOT_HUB_API_VERSION = "2021-04-12";

    /** How long a connect may take before it counts as failed. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The MQTT keep-alive: a dead connection is noticed within about 1.5 times this. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

    /** The longest the drain thread waits in one step: how soon it notices a lost connection or {@link #close()}. */
    static final Duration STEP = Duration.ofMillis(100);

    /** How long {@link #close()} lets in-flight records finish before it disconnects. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamLink.class);

    /**
     * What the link does with messages from the cloud: device management (twins, methods,
     * cloud-to-device) on the same connection as the telemetry.
     *
     * <p>Threading: {@link #subscriptions()} and {@link #connected()} are called on the drain
     * thread, {@link #messageArrived} on Paho's callback thread; none may block (queue the work).
     */
    public interface InboundHandler {
        /** The topic filters to subscribe to, QoS 1, after every connect. */
        List<String> subscriptions();

        /** A connection is up and subscribed: a moment to sync what waited. */
        void connected();

        /** A message arrived on one of the subscriptions. */
        void messageArrived(String topic, byte[] payload);
    }

    private final UpstreamConfig config;
    private final InboundHandler inbound;
    private final Cursor cursor;
    private final String gatewayId;
    private final InstantSource clock;
    private final Backoff backoff;
    private final Duration stableAfter;
    private final int window;
    private final UpstreamTopics topics;
    private final SSLSocketFactory socketFactory;

    private final Object stateLock = new Object();
    private UpstreamState state = UpstreamState.STOPPED;
    private final AtomicLong generation = new AtomicLong();
    private volatile Session current;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread drainThread;

    private final LongAdder sent = new LongAdder();
    private final LongAdder expiredDropped = new LongAdder();
    private final LongAdder undeliverable = new LongAdder();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private volatile String lastError;
    private volatile Instant lastConnectedAt;
    private volatile Instant lastLostAt;
    private volatile Duration lastBackoff = Duration.ZERO;

    private UpstreamLink(UpstreamConfig config, Cursor cursor, String gatewayId, InstantSource clock, Backoff backoff,
                         int window, Duration stableAfter, InboundHandler inbound) {
        this.config = config;
        this.inbound = inbound;
        this.cursor = cursor;
        this.gatewayId = gatewayId;
        this.clock = clock;
        this.backoff = backoff;
        this.window = window;
        this.stableAfter = stableAfter;
        this.topics = UpstreamTopics.of(config.mode());
        this.socketFactory = config.tls() ? TlsSockets.socketFactory(config) : null;
        this.drainThread = new Thread(this::run, "edgefn-upstream-drain");
        this.drainThread.setDaemon(true);
    }

    /**
     * Starts a link that drains {@code cursor} to the broker of {@code config}, as gateway
     * {@code gatewayId}: it connects in the background and returns at once.
     *
     * @param config    where to connect and how to log in
     * @param cursor    the buffer's {@link UpstreamRecords#CURSOR} cursor
     * @param gatewayId the gateway's device id: the MQTT client id, and the device of the
     *                  gateway's own topics (in IoT Hub mode it must be the connection string's DeviceId)
     * @param clock     for time to live, SAS expiry and the timestamps in {@link #stats()}
     * @param random    for the reconnect delays' jitter
     * @throws UpstreamConfigException when the gateway id does not fit the config, or a TLS file cannot be read
     */
    public static UpstreamLink start(UpstreamConfig config, Cursor cursor, String gatewayId, InstantSource clock,
                                     RandomGenerator random) {
        return start(config, cursor, gatewayId, clock, random, null);
    }

    /**
     * {@link #start(UpstreamConfig, Cursor, String, InstantSource, RandomGenerator)} that also
     * subscribes for {@code inbound} and hands it what arrives (null: publish only).
     */
    public static UpstreamLink start(UpstreamConfig config, Cursor cursor, String gatewayId, InstantSource clock,
                                     RandomGenerator random, InboundHandler inbound) {
        return start(config, cursor, gatewayId, clock,
                new Backoff(Backoff.DEFAULT_INITIAL, Backoff.DEFAULT_CAP, Objects.requireNonNull(random, "random")),
                DEFAULT_WINDOW, Backoff.DEFAULT_STABLE_AFTER, inbound);
    }

    /** {@link #start(UpstreamConfig, Cursor, String, InstantSource, RandomGenerator)} with a chosen backoff and window (tests). */
    static UpstreamLink start(UpstreamConfig config, Cursor cursor, String gatewayId, InstantSource clock,
                              Backoff backoff, int window, Duration stableAfter) {
        return start(config, cursor, gatewayId, clock, backoff, window, stableAfter, null);
    }

    static UpstreamLink start(UpstreamConfig config, Cursor cursor, String gatewayId, InstantSource clock,
                              Backoff backoff, int window, Duration stableAfter, InboundHandler inbound) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(cursor, "cursor");
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(clock, "clock");
        if (window < 1 || window > 65_535) {
            throw new IllegalArgumentException("window must be 1..65535, was " + window);
        }
        if (gatewayId.isEmpty() || gatewayId.contains("/") || gatewayId.contains("+") || gatewayId.contains("#")) {
            throw new UpstreamConfigException("gateway id '" + gatewayId + "' cannot be an MQTT client id and topic level");
        }
        if (config.mode() == UpstreamConfig.Mode.IOT_HUB && !gatewayId.equals(config.deviceId())) {
            throw new UpstreamConfigException("upstream connection string is for device '" + config.deviceId()
                    + "' but this gateway is '" + gatewayId + "': the gateway connects to IoT Hub as itself");
        }
        UpstreamLink link = new UpstreamLink(config, cursor, gatewayId, clock, backoff, window, stableAfter, inbound);
        link.drainThread.start();
        return link;
    }

    /** A snapshot of the link's state and counters. Thread-safe. */
    public UpstreamStats stats() {
        UpstreamState s;
        synchronized (stateLock) {
            s = state;
        }
        Session session = current;
        int inFlight = session == null || s != UpstreamState.CONNECTED ? 0 : session.inFlight();
        long c = connects.get();
        return new UpstreamStats(s, inFlight, sent.sum(), expiredDropped.sum(), undeliverable.sum(), c, Math.max(0, c - 1), connectFailures.get(),
                lastError, lastConnectedAt, lastLostAt, lastBackoff);
    }

    /**
     * Publishes {@code payload} on {@code topic}, QoS 1, on the current connection: for device
     * management's answers and reported patches, beside the buffer's records. Completes on the
     * broker's PUBACK; fails at once when the link is not connected, and when the connection is
     * lost first. Never blocks; any thread. The returned future completes on Paho's thread.
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Session session = current;
        if (session == null || session.lost != null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the upstream link is not connected"));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            session.client.publish(topic, payload, 1, false, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    done.complete(null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    done.completeExceptionally(e);
                }
            });
        } catch (MqttException | RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** The config this link connects with. */
    public UpstreamConfig config() {
        return config;
    }

    /**
     * Stops draining, lets in-flight records finish for up to {@link #CLOSE_GRACE}, disconnects and
     * waits for the drain thread to end. Records not acknowledged by then stay in the buffer for the
     * next link. Idempotent.
     */
    @Override
    public void close() {
        closing.countDown();
        if (Thread.currentThread() != drainThread) {
            try {
                drainThread.join(CLOSE_GRACE.plus(CONNECT_TIMEOUT).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- the drain thread ----

    private enum End { LOST, RENEW, CLOSING }

    private void run() {
        try {
            while (!closing()) {
                move(UpstreamState.CONNECTING);
                Session session = connect();
                if (session != null) {
                    long upSince = System.nanoTime();
                    End end;
                    try {
                        end = drain(session);
                    } catch (Throwable t) {
                        LOG.error("upstream: drain failed; reconnecting", t);
                        lastError = "drain failed: " + t;
                        end = End.LOST;
                    }
                    session.close(end == End.LOST ? Duration.ZERO : (end == End.CLOSING ? CLOSE_GRACE : Duration.ofSeconds(1)));
                    current = null;
                    cursor.rewind();
                    if (end == End.CLOSING) {
                        break;
                    }
                    if (end == End.RENEW) {
                        LOG.info("upstream: SAS token renewal, reconnecting");
                        continue; // CONNECTED → CONNECTING: a planned reconnect, no delay
                    }
                    lastLostAt = clock.instant();
                    if (System.nanoTime() - upSince >= stableAfter.toNanos()) {
                        backoff.reset();
                    }
                }
                if (closing()) {
                    break;
                }
                Duration delay = backoff.next();
                lastBackoff = delay;
                move(UpstreamState.BACKING_OFF);
                LOG.debug("upstream: reconnecting in {} ms", delay.toMillis());
                if (closing.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            LOG.error("upstream: link failed and stops", t);
            lastError = "link failed: " + t;
        } finally {
            Session s = current;
            if (s != null) {
                s.close(Duration.ZERO);
                current = null;
                cursor.rewind();
            }
            move(UpstreamState.CLOSED);
        }
    }

    private boolean closing() {
        return closing.getCount() == 0;
    }

    private void move(UpstreamState next) {
        synchronized (stateLock) {
            if (state == next) {
                return;
            }
            if (!state.canMoveTo(next)) {
                throw new IllegalStateException("upstream link cannot move from " + state + " to " + next);
            }
            state = next;
        }
    }

    /** Connects a new session, or returns null (the error recorded) when the connect fails. */
    private Session connect() throws InterruptedException {
        long gen = generation.incrementAndGet();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(6, daemonThreads("edgefn-upstream-paho-" + gen + "-"));
        MqttAsyncClient client = null;
        Session session = null;
        try {
            client = new MqttAsyncClient(config.serverUri(), gatewayId, new MemoryPersistence(),
                    new ScheduledExecutorPingSender(executor), executor);
            session = new Session(gen, client, executor);
            client.setCallback(session);
            MqttConnectOptions options = options(session);
            CountDownLatch done = new CountDownLatch(1);
            IMqttToken token = client.connect(options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken t) {
                    done.countDown();
                }

                @Override
                public void onFailure(IMqttToken t, Throwable e) {
                    done.countDown();
                }
            });
            long deadline = System.nanoTime() + CONNECT_TIMEOUT.plusSeconds(1).toNanos();
            while (!done.await(STEP.toMillis(), TimeUnit.MILLISECONDS)) {
                if (closing() || System.nanoTime() - deadline > 0) {
                    throw new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT);
                }
            }
            if (token.getException() != null) {
                throw token.getException();
            }
            if (!client.isConnected()) {
                throw new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED);
            }
            subscribe(client);
            current = session;
            connects.incrementAndGet();
            lastConnectedAt = clock.instant();
            lastError = null;
            move(UpstreamState.CONNECTED);
            LOG.info("upstream: connected to {} as {} ({})", config.serverUri(), gatewayId, config.authMethod());
            if (inbound != null) {
                try {
                    inbound.connected();
                } catch (RuntimeException e) {
                    LOG.error("upstream: the inbound handler failed on connect", e);
                }
            }
            return session;
        } catch (MqttException | RuntimeException e) {
            lastError = describe(e);
            lastLostAt = clock.instant();
            connectFailures.incrementAndGet();
            if (!closing()) {
                LOG.warn("upstream: cannot connect to {}: {}", config.serverUri(), lastError);
            }
            if (session != null) {
                session.close(Duration.ZERO);
            } else {
                executor.shutdownNow();
            }
            return null;
        }
    }

    /** Subscribes to the inbound handler's filters, QoS 1, waiting for the SUBACK (drain thread). */
    private void subscribe(MqttAsyncClient client) throws MqttException {
        List<String> filters = inbound == null ? List.of() : inbound.subscriptions();
        if (filters.isEmpty()) {
            return;
        }
        int[] qos = new int[filters.size()];
        java.util.Arrays.fill(qos, 1);
        IMqttToken token = client.subscribe(filters.toArray(String[]::new), qos);
        token.waitForCompletion(CONNECT_TIMEOUT.toMillis());
        for (int granted : token.getGrantedQos()) {
            if (granted == 0x80) {
                throw new MqttException(MqttException.REASON_CODE_SUBSCRIBE_FAILED);
            }
        }
    }

    private MqttConnectOptions options(Session session) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout((int) CONNECT_TIMEOUT.toSeconds());
        o.setKeepAliveInterval((int) KEEP_ALIVE.toSeconds());
        // Paho counts a PUBACK's slot free only after it has called our listener: leave it room.
        // Device management's publishes (answers, reported patches) share the connection: room for 64 more.
        o.setMaxInflight(Math.max(window * 2, window + 16) + 64);
        if (socketFactory != null) {
            o.setSocketFactory(socketFactory);
        }
        if (config.mode() == UpstreamConfig.Mode.IOT_HUB) {
            o.setUserName(config.host() + "/" + gatewayId + "/?api-version=" + IOT_HUB_API_VERSION);
            if (config.sharedAccessKey() != null) {
                Instant expiry = clock.instant().plus(SAS_LIFETIME);
                String resource = config.host() + "/devices/" + gatewayId; // SasToken URL-encodes it once, as the SDKs do
                o.setPassword(io.edgefn.hub.identity.SasToken.create(resource,
                        java.util.Base64.getDecoder().decode(config.sharedAccessKey()), expiry, null).toCharArray());
                session.renewAt = expiry.minus(SAS_RENEW_BEFORE);
            }
        } else if (config.username() != null) {
            o.setUserName(config.username());
            if (config.password() != null) {
                o.setPassword(config.password().toCharArray());
            }
        }
        return o;
    }

    /** Publishes records until the session is lost, its token needs renewal, or the link closes. */
    private End drain(Session session) throws InterruptedException {
        while (true) {
            if (closing()) {
                return End.CLOSING;
            }
            if (session.lost != null) {
                recordLoss(session);
                return End.LOST;
            }
            if (session.renewAt != null && !clock.instant().isBefore(session.renewAt)) {
                return End.RENEW;
            }
            if (!session.window.tryAcquire(STEP.toMillis(), TimeUnit.MILLISECONDS)) {
                continue;
            }
            int room = 1 + session.window.drainPermits();
            List<BufferedRecord> batch = cursor.poll(room, STEP);
            session.window.release(room - batch.size());
            for (BufferedRecord record : batch) {
                if (session.lost != null) {
                    session.window.release(); // the rest of the batch goes again after rewind()
                    continue;
                }
                publish(session, record);
            }
        }
    }

    private void publish(Session session, BufferedRecord record) {
        if (record.expiresAtMillis() != 0 && record.expiresAtMillis() <= clock.millis()) {
            cursor.ack(record.offset());
            expiredDropped.increment();
            session.window.release();
            return;
        }
        Message message;
        String topic;
        try {
            message = UpstreamRecords.decode(record.payload());
            topic = topics.topic(message, gatewayId);
        } catch (RuntimeException e) {
            LOG.error("upstream: dropping record {} (priority {}): {}", record.offset(), record.priority(), e.getMessage());
            drop(session, record);
            return;
        }
        if (config.mode() == UpstreamConfig.Mode.IOT_HUB && message.body().length > IOT_HUB_MAX_MESSAGE_BYTES) {
            String module = message.systemProperty(SystemProperties.CONNECTION_MODULE_ID);
            LOG.error("upstream: dropping record {} (priority {}, messageId {}, from {}): its body of {} bytes is over "
                            + "IoT Hub's limit of {} bytes, which would refuse it on every resend", record.offset(),
                    record.priority(), message.systemProperty(SystemProperties.MESSAGE_ID),
                    message.systemProperty(SystemProperties.CONNECTION_DEVICE_ID) + (module == null ? "" : "/" + module),
                    message.body().length, IOT_HUB_MAX_MESSAGE_BYTES);
            drop(session, record);
            return;
        }
        session.pending.incrementAndGet();
        try {
            session.client.publish(topic, message.body(), 1, false, record, session);
        } catch (MqttException | RuntimeException e) {
            session.pending.decrementAndGet();
            session.window.release();
            session.markLost(e);
        }
    }

    /** Acknowledges a record that can never be delivered, so that the ones behind it go, and counts it. */
    private void drop(Session session, BufferedRecord record) {
        cursor.ack(record.offset());
        undeliverable.increment();
        session.window.release();
    }

    private void recordLoss(Session session) {
        lastError = describe(session.lost);
        LOG.warn("upstream: connection to {} lost: {}", config.serverUri(), lastError);
    }

    private static String describe(Throwable e) {
        if (e instanceof MqttException m) {
            Throwable cause = m.getCause();
            return "MQTT " + m.getReasonCode() + ": " + m.getMessage() + (cause != null && cause != m ? " (" + cause + ")" : "");
        }
        return String.valueOf(e);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * One connection: its Paho client and threads, its window of in-flight records, and whether it
     * was lost. Paho calls back on its own threads; the callbacks only release window slots,
     * acknowledge to the (thread-safe) cursor and mark the session lost.
     */
    private final class Session implements MqttCallback, IMqttActionListener {
        final long generation;
        final MqttAsyncClient client;
        final ScheduledThreadPoolExecutor executor;
        final Semaphore window;
        final AtomicInteger pending = new AtomicInteger();
        volatile Throwable lost;
        volatile Instant renewAt;

        Session(long generation, MqttAsyncClient client, ScheduledThreadPoolExecutor executor) {
            this.generation = generation;
            this.client = client;
            this.executor = executor;
            this.window = new Semaphore(UpstreamLink.this.window);
        }

        int inFlight() {
            return pending.get();
        }

        boolean stale() {
            return generation != UpstreamLink.this.generation.get();
        }

        void markLost(Throwable cause) {
            if (lost == null) {
                lost = cause == null ? new MqttException(MqttException.REASON_CODE_CONNECTION_LOST) : cause;
            }
        }

        @Override
        public void onSuccess(IMqttToken token) {
            BufferedRecord record = (BufferedRecord) token.getUserContext();
            try {
                cursor.ack(record.offset());
                sent.increment();
            } catch (RuntimeException e) {
                LOG.warn("upstream: cannot acknowledge record {}: {}", record.offset(), e.toString());
            }
            pending.decrementAndGet();
            window.release();
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
            pending.decrementAndGet();
            window.release();
            if (!stale()) {
                markLost(e);
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            if (!stale()) {
                markLost(cause);
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (inbound != null && !stale()) {
                try {
                    inbound.messageArrived(topic, message.getPayload());
                } catch (RuntimeException e) {
                    LOG.error("upstream: the inbound handler failed on a message on '{}'", topic, e);
                }
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // Acknowledged in onSuccess, which carries the record.
        }

        /** Waits up to {@code grace} for in-flight records, then disconnects and releases the client's threads. */
        void close(Duration grace) {
            long deadline = System.nanoTime() + grace.toNanos();
            while (lost == null && inFlight() > 0 && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // PUBACKs arrive on Paho's thread
            }
            try {
                if (client.isConnected()) {
                    client.disconnectForcibly(0, 1000, lost == null);
                }
            } catch (MqttException | RuntimeException e) {
                LOG.debug("upstream: disconnect: {}", e.toString());
            }
            try {
                client.close(true);
            } catch (MqttException | RuntimeException e) {
                LOG.debug("upstream: close: {}", e.toString());
            }
            executor.shutdownNow();
        }
    }
}
