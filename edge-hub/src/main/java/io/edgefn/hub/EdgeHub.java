package io.edgefn.hub;

import io.edgefn.hub.twin.DeviceManagement;
import io.edgefn.runtime.HostIngress;
import io.edgefn.runtime.ModuleInbox;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.mqtt.MqttServerOptions;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's MQTT server: the IoT Hub device protocol (MQTT 3.1.1) that devices, modules and
 * the Azure IoT device SDKs connect to. Started with {@link #start}, stopped with {@link #close}.
 *
 * <p>A client's CONNECT is authenticated by a {@link ClientAuthenticator} off the event loop; an
 * authenticated client may publish telemetry on its own topic only, which enters the host through
 * its {@link HostIngress}: a QoS 1 message is acknowledged once every sink took it, refused
 * messages close the connection without PUBACK, and a nearly full sink pauses the socket. An
 * external module that subscribes to its inputs receives what the routes put in its
 * {@link ModuleInbox inboxes}, QoS 1, a window at a time. Twins, direct methods and
 * cloud-to-device messages are served through a {@link DeviceManagement} facade (see
 * {@code docs/protocols/iothub-mqtt.md}).
 *
 * <p>Threading: each connection lives on its socket's event loop; the hub's registry of clients,
 * sessions and counters is thread-safe. {@link #start} and {@link #close} block and must not be
 * called on an event loop; {@link #stats()} and the port accessors may be called from any thread.
 */
public final class EdgeHub implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeHub.class);
    /** Room in the MQTT decoder beyond the payload limit: a topic of up to 65,535 bytes, its length and the packet id. */
    private static final int PACKET_OVERHEAD = 2 + 65_535 + 2;

    private final Vertx vertx;
    private final HubOptions options;
    private final HostIngress ingress;
    private final ModuleInboxSource inboxes;
    private final ClientAuthenticator authenticator;
    private final DeviceManagement management;
    private final InstantSource clock;
    private final MqttServerOptions mqttOptions;
    private final HubCounters counters = new HubCounters();
    private final Map<String, ClientConnection> clients = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<ModuleInbox, Semaphore> inboxPermits = new ConcurrentHashMap<>();
    private final Map<NetSocketInternal, ClientConnection> open = new ConcurrentHashMap<>();
    private final AtomicInteger admitted = new AtomicInteger();
    private final List<NetServer> servers = new ArrayList<>();
    private volatile HubTaps taps;
    private volatile int tlsPort = -1;
    private volatile int plainPort = -1;

    private EdgeHub(Vertx vertx, HubOptions options, HostIngress ingress, ModuleInboxSource inboxes,
                    ClientAuthenticator authenticator, DeviceManagement management, InstantSource clock) {
        this.vertx = vertx;
        this.management = management;
        this.options = options;
        this.ingress = ingress;
        this.inboxes = inboxes;
        this.authenticator = authenticator;
        this.clock = clock;
        this.mqttOptions = new MqttServerOptions().setAutoClientId(false).setMaxClientIdLength(512)
                .setMaxMessageSize(options.maxMessageBytes() + PACKET_OVERHEAD);
    }

    /**
     * Starts an edge hub listening on the ports of {@code options}; blocks until it listens.
     *
     * @param vertx         the Vert.x to serve on (shared with the host's management API; not closed by the hub)
     * @param options       ports, TLS material and limits
     * @param ingress       where telemetry goes: the host
     * @param inboxes       the external modules' inboxes ({@code host::moduleInboxes})
     * @param authenticator decides who connects
     * @param clock         the hub's clock (connection times)
     * @throws IllegalStateException if a port cannot be bound (the hub is closed again), or called on an event loop
     */
    public static EdgeHub start(Vertx vertx, HubOptions options, HostIngress ingress, ModuleInboxSource inboxes,
                                ClientAuthenticator authenticator, InstantSource clock) {
        return start(vertx, options, ingress, inboxes, authenticator,
                DeviceManagement.builder().clock(clock).build(), clock);
    }

    /**
     * Starts an edge hub as {@link #start(Vertx, HubOptions, HostIngress, ModuleInboxSource,
     * ClientAuthenticator, DeviceManagement, InstantSource)} does, serving as the functions' local
     * MQTT broker through {@code taps} (the {@code LocalBroker} the host was built with).
     */
    public static EdgeHub start(Vertx vertx, HubOptions options, HostIngress ingress, ModuleInboxSource inboxes,
                                ClientAuthenticator authenticator, DeviceManagement management, InstantSource clock,
                                HubTaps taps) {
        Objects.requireNonNull(taps, "taps");
        EdgeHub hub = start(vertx, options, ingress, inboxes, authenticator, management, clock);
        hub.taps = taps;
        taps.attach(hub);
        return hub;
    }

    /**
     * Starts an edge hub as {@link #start(Vertx, HubOptions, HostIngress, ModuleInboxSource,
     * ClientAuthenticator, InstantSource)} does, serving twins, methods and cloud-to-device
     * messages through {@code management} (which the caller owns and closes).
     */
    public static EdgeHub start(Vertx vertx, HubOptions options, HostIngress ingress, ModuleInboxSource inboxes,
                                ClientAuthenticator authenticator, DeviceManagement management, InstantSource clock) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(management, "management");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(ingress, "ingress");
        Objects.requireNonNull(inboxes, "inboxes");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(clock, "clock");
        requireOffEventLoop("EdgeHub.start");
        MqttWire.check();
        EdgeHub hub = new EdgeHub(vertx, options, ingress, inboxes, authenticator, management, clock);
        try {
            if (options.tlsPort() != -1) {
                hub.tlsPort = hub.listen(true, options.tlsPort());
            }
            if (options.plainPort() != -1) {
                hub.plainPort = hub.listen(false, options.plainPort());
                LOG.warn("Edge hub: plain MQTT (no TLS) on {}:{} - for development only: credentials and messages "
                        + "cross the network in clear text", options.host(), hub.plainPort);
            }
        } catch (RuntimeException e) {
            hub.close();
            throw e;
        }
        LOG.info("Edge hub for gateway '{}' listening: TLS port {}, plain port {}", options.gatewayId(), hub.tlsPort,
                hub.plainPort);
        return hub;
    }

    private int listen(boolean tls, int port) {
        NetServerOptions netOptions = new NetServerOptions().setHost(options.host()).setPort(port);
        if (tls) {
            netOptions.setSsl(true)
                    .setKeyCertOptions(new PemKeyCertOptions()
                            .setCertPath(options.serverCertificate().toString())
                            .setKeyPath(options.serverKey().toString()))
                    // A device's certificate may be self-signed (registered by thumbprint): the TLS layer takes
                    // any, and the authenticator decides, as IoT Hub and edgeHub do.
                    .setClientAuth(ClientAuth.REQUEST)
                    .setTrustOptions(TrustOptions.wrap(new AnyClientCertificate()));
        }
        NetServer server = vertx.createNetServer(netOptions);
        server.connectHandler(this::accepted);
        synchronized (servers) {
            servers.add(server);
        }
        try {
            return server.listen().await(30, TimeUnit.SECONDS).actualPort();
        } catch (Exception e) {
            throw new IllegalStateException("edge hub: cannot listen for " + (tls ? "MQTT over TLS" : "plain MQTT")
                    + " on " + options.host() + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** A new TCP connection: called on its event loop. */
    private void accepted(NetSocket netSocket) {
        NetSocketInternal socket = (NetSocketInternal) netSocket;
        Context context = Vertx.currentContext();
        ClientConnection connection = new ClientConnection(this, socket, context);
        open.put(socket, connection);
        socket.channelHandlerContext().channel().closeFuture().addListener(f -> open.remove(socket));
        MqttWire.attach(socket, mqttOptions, mqttOptions.getMaxMessageSize(), options.connectTimeout().toMillis(),
                new MqttWire.Events() {
                    @Override
                    public void connect(String username, String password) {
                        connection.connectReceived(username, password);
                    }

                    @Override
                    public void connectTimedOut() {
                        connection.connectTimedOut();
                    }

                    @Override
                    public void protocolError(Throwable cause) {
                        connection.protocolError(cause);
                    }
                }, connection::connected);
    }

    /** The TLS port listened on, or -1 when TLS is off. */
    public int tlsPort() {
        return tlsPort;
    }

    /** The plain MQTT port listened on, or -1 when it is off. */
    public int plainPort() {
        return plainPort;
    }

    /** A snapshot of the clients and counters. */
    public HubStats stats() {
        Map<String, HubStats.ClientInfo> byId = new TreeMap<>();
        clients.forEach((id, c) -> byId.put(id, c.info()));
        return new HubStats(Map.copyOf(byId), open.size(), counters.received.sum(), counters.acked.sum(),
                counters.bytes.sum(), counters.refusedSnapshot(), counters.moduleSent.sum(), counters.moduleAcked.sum(),
                counters.connects.sum(), counters.disconnects.sum());
    }

    /**
     * Stops listening and closes every connection; blocks until the listeners are closed (at
     * most 10 s). Must not be called on an event loop. Idempotent.
     */
    @Override
    public void close() {
        requireOffEventLoop("EdgeHub.close");
        List<NetServer> toClose;
        synchronized (servers) {
            toClose = new ArrayList<>(servers);
            servers.clear();
        }
        List<Future<Void>> closing = new ArrayList<>();
        for (NetServer server : toClose) {
            closing.add(server.close());
        }
        for (NetSocketInternal socket : List.copyOf(open.keySet())) {
            closing.add(socket.close());
        }
        try {
            Future.join(closing).await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Edge hub: closing its listeners and connections did not finish cleanly: {}", e.toString());
        }
        if (!toClose.isEmpty()) {
            LOG.info("Edge hub for gateway '{}' closed", options.gatewayId());
        }
    }

    private static void requireOffEventLoop(String what) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException(what + " blocks: call it from a thread that is not an event loop");
        }
    }

    // ------------------------------------------------------------------ for ClientConnection

    HubOptions options() {
        return options;
    }

    HostIngress ingress() {
        return ingress;
    }

    ModuleInboxSource inboxes() {
        return inboxes;
    }

    ClientAuthenticator authenticator() {
        return authenticator;
    }

    /** The device-management facade twin, method and cloud-to-device traffic goes through. */
    public DeviceManagement management() {
        return management;
    }

    InstantSource clock() {
        return clock;
    }

    /** The functions' taps on telemetry, or {@code null} when the hub serves no functions' MQTT. */
    HubTaps taps() {
        return taps;
    }

    /** Sends a function's message to every connected client subscribed to a matching topic (QoS 0). */
    void deliverToSubscribers(String topic, byte[] payload, boolean retain) {
        for (ClientConnection c : clients.values()) {
            c.deliverPublished(topic, payload, retain);
        }
    }

    HubCounters counters() {
        return counters;
    }

    /** Takes a client slot for a CONNECT of {@code clientId}: false when the hub is full (a reconnecting client always fits). */
    boolean admit(String clientId) {
        while (true) {
            int n = admitted.get();
            if (n >= options.maxClients() && !clients.containsKey(clientId)) {
                return false;
            }
            if (admitted.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives a client slot back. */
    void released() {
        admitted.decrementAndGet();
    }

    /** Records {@code connection} as client {@code clientId}; returns the connection it replaces, if any. */
    ClientConnection register(String clientId, ClientConnection connection) {
        counters.connects.increment();
        ClientConnection replaced = clients.put(clientId, connection);
        if (replaced != null) {
            counters.disconnects.increment();
        }
        return replaced;
    }

    /** Forgets {@code connection} as client {@code clientId} unless another took over; true if it was the one. */
    boolean unregister(String clientId, ClientConnection connection) {
        boolean removed = clients.remove(clientId, connection);
        if (removed) {
            counters.disconnects.increment();
        }
        return removed;
    }

    /** A persistent session and whether it was there before. */
    record SessionLookup(Session session, boolean present) {
    }

    /** The persistent (cleanSession=0) session of {@code clientId}, made if it had none. */
    SessionLookup session(String clientId) {
        Session existing = sessions.get(clientId);
        if (existing != null) {
            return new SessionLookup(existing, true);
        }
        Session made = new Session();
        Session raced = sessions.putIfAbsent(clientId, made);
        return raced == null ? new SessionLookup(made, false) : new SessionLookup(raced, true);
    }

    /** Discards the persistent session of {@code clientId} (a clean-session CONNECT). */
    void dropSession(String clientId) {
        sessions.remove(clientId);
    }

    /** The permit that lets one pump at a time drain {@code inbox}. */
    Semaphore inboxPermit(ModuleInbox inbox) {
        return inboxPermits.computeIfAbsent(inbox, i -> new Semaphore(1));
    }

    /** Accepts any client certificate at the TLS layer: the {@link ClientAuthenticator} checks it. */
    private static final class AnyClientCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("the edge hub is a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
