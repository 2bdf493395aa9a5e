package io.edgefn.hub;

import io.edgefn.api.Message;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.hub.twin.DeviceChannel;
import io.edgefn.hub.twin.DeviceManagement;
import io.edgefn.hub.twin.TwinException;
import io.edgefn.hub.twin.TwinId;
import io.edgefn.runtime.Admission;
import io.edgefn.runtime.MessageOrigin;
import io.edgefn.runtime.ModuleInbox;
import io.edgefn.runtime.UpstreamRecords;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's TCP connection to the edge hub, from its first byte to its close.
 *
 * <p>Lifecycle ({@link State}): {@code AWAITING_CONNECT} → {@code AUTHENTICATING} (the
 * authenticator runs on a worker) → {@code CONNECTED} → {@code CLOSED}; any state may go to
 * {@code CLOSED}, nothing leaves it. Every callback checks the state first, so a late answer
 * (authentication, a sink's verdict, a module record) for a closed connection does nothing.
 *
 * <p>Telemetry: a QoS 1 PUBLISH is acknowledged only when the host's ingress says every sink took
 * it, and PUBACKs go out in the order the PUBLISHes came; a refusal closes the connection without
 * PUBACK so the client resends after reconnecting. A sink that is nearly full pauses reading the
 * socket until it has room again.
 *
 * <p>Device management: twin requests are answered from {@link DeviceManagement} (reported
 * patches after they are durable), method answers go to it, and the connection is registered with
 * it as a {@link DeviceChannel} while connected, through which desired patches, method requests
 * (QoS 0) and cloud-to-device messages (QoS 1, completed on the client's PUBACK) reach the client.
 *
 * <p>Threading: confined to the socket's event loop (its Vert.x {@link Context}); futures
 * completed elsewhere hop back with {@link Context#runOnContext}. Only {@link #info()},
 * {@link #takeOver()} and the {@link DeviceChannel} are called from other threads.
 */
final class ClientConnection {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeHub.class);

    /** Where a connection is in its life. */
    enum State {
        /** TCP is up; no CONNECT yet. */
        AWAITING_CONNECT,
        /** CONNECT arrived; the authenticator is deciding. */
        AUTHENTICATING,
        /** CONNACK accepted sent; the client may publish and subscribe. */
        CONNECTED,
        /** Closed, or closing: nothing more is done for it. */
        CLOSED;

        boolean canMoveTo(State next) {
            return switch (this) {
                case AWAITING_CONNECT -> next == AUTHENTICATING || next == CLOSED;
                case AUTHENTICATING -> next == CONNECTED || next == CLOSED;
                case CONNECTED -> next == CLOSED;
                case CLOSED -> false;
            };
        }
    }

    private final EdgeHub hub;
    private final NetSocketInternal socket;
    private final Context context;
    private final String remote;
    private State state = State.AWAITING_CONNECT;
    private MqttEndpoint endpoint;
    private String username;
    private String password;
    private boolean admitted;
    private ClientAuthentication.Accepted identity;
    private MessageOrigin origin;
    private volatile Session session;
    private Instant connectedAt;
    private volatile boolean paused;
    private int pauseDepth;
    /** QoS 1 messages waiting for their sinks, in the order they came: PUBACKs go out in that order. */
    private final ArrayDeque<PendingAck> pendingAcks = new ArrayDeque<>();
    /** Module input messages published and not yet acknowledged, by packet id. */
    private final Map<Integer, Delivery> outbound = new HashMap<>();
    /** Cloud-to-device messages published and not yet acknowledged, by packet id. */
    private final Map<Integer, CompletableFuture<Void>> deviceBound = new HashMap<>();
    private TwinId twinId;
    private Channel channel;
    private final List<ModulePump> pumps = new ArrayList<>();
    private int nextPacketId = 1;
    private boolean cleanedUp;

    private record Delivery(ModulePump pump, long offset) {
    }

    private static final class PendingAck {
        final int packetId;
        boolean taken;

        PendingAck(int packetId) {
            this.packetId = packetId;
        }
    }

    ClientConnection(EdgeHub hub, NetSocketInternal socket, Context context) {
        this.hub = hub;
        this.socket = socket;
        this.context = context;
        this.remote = String.valueOf(socket.remoteAddress());
    }

    private boolean move(State next) {
        if (!state.canMoveTo(next)) {
            return false;
        }
        state = next;
        return true;
    }

    // ---------------------------------------------------------------- before CONNECT (MqttWire.Events)

    /** MqttWire: CONNECT arrived with these credentials. */
    void connectReceived(String username, String password) {
        this.username = username;
        this.password = password;
    }

    /** MqttWire: no CONNECT in time. */
    void connectTimedOut() {
        if (move(State.CLOSED)) {
            hub.counters().refused(RefusalReason.CONNECT_TIMEOUT);
            LOG.warn("Closing connection from {}: no CONNECT within {} ms", remote, hub.options().connectTimeout().toMillis());
        }
    }

    /** MqttWire or the endpoint: bytes that are not MQTT, a packet out of order, or a lost connection. */
    void protocolError(Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        if (cause instanceof IOException) {
            LOG.debug("Connection from {} ({}) lost: {}", remote, who(), cause.toString());
        } else {
            hub.counters().refused(RefusalReason.PROTOCOL_ERROR);
            LOG.warn("Closing connection from {} ({}): not valid MQTT 3.1.1: {}", remote, who(), describe(cause));
        }
        close();
    }

    // ---------------------------------------------------------------- CONNECT

    /** Called on the event loop with the endpoint vertx-mqtt made of the CONNECT. */
    void connected(MqttEndpoint endpoint) {
        this.endpoint = endpoint;
        endpoint.publishAutoAck(false);
        endpoint.subscriptionAutoAck(false);
        endpoint.exceptionHandler(this::protocolError);
        endpoint.closeHandler(v -> closed());
        // On DISCONNECT vertx-mqtt closes the connection itself; the close handler releases what it held.
        endpoint.disconnectHandler(v -> LOG.debug("Client {} sent DISCONNECT", who()));
        endpoint.publishHandler(this::onPublish);
        endpoint.subscribeHandler(this::onSubscribe);
        endpoint.unsubscribeHandler(this::onUnsubscribe);
        endpoint.publishAcknowledgeHandler(this::onModuleAck);
        if (!move(State.AUTHENTICATING)) {
            endpoint.close();
            return;
        }
        String clientId = endpoint.clientIdentifier();
        if (clientId == null || clientId.isEmpty()) {
            refuseConnect(RefusalReason.NOT_AUTHORIZED, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    "an empty client id (IoT Hub clients connect as deviceId or deviceId/moduleId)");
            return;
        }
        if (!hub.admit(clientId)) {
            refuseConnect(RefusalReason.SERVER_FULL, MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
                    hub.options().maxClients() + " clients are connected, the most this hub takes (maxClients)");
            return;
        }
        admitted = true;
        List<X509Certificate> certificates = peerCertificates();
        String user = username;
        String pass = password;
        password = null;
        context.<ClientAuthentication>executeBlocking(
                        () -> hub.authenticator().authenticate(clientId, user, pass, certificates), false)
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        authenticated(clientId, ar.result());
                    } else {
                        LOG.warn("Authenticating client '{}' from {} failed: {}", clientId, remote, describe(ar.cause()));
                        refuseConnect(RefusalReason.NOT_AUTHORIZED,
                                MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "the authenticator failed");
                    }
                });
    }

    private List<X509Certificate> peerCertificates() {
        if (!socket.isSsl()) {
            return List.of();
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : socket.sslSession().getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
            return List.copyOf(out);
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    private void authenticated(String clientId, ClientAuthentication result) {
        if (state != State.AUTHENTICATING) {
            return; // the client went away meanwhile
        }
        if (result instanceof ClientAuthentication.Refused refused) {
            refuseConnect(RefusalReason.NOT_AUTHORIZED, MqttConnectReturnCode.valueOf((byte) refused.connackCode()),
                    refused.reason());
            return;
        }
        ClientAuthentication.Accepted accepted = (ClientAuthentication.Accepted) result;
        if (!accepted.clientId().equals(clientId)) {
            refuseConnect(RefusalReason.NOT_AUTHORIZED, MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
                    "client id '" + clientId + "' is not the authenticated identity '" + accepted.clientId() + "'");
            return;
        }
        identity = accepted;
        origin = new MessageOrigin(accepted.deviceId(), accepted.moduleId(), accepted.authMethod());
        connectedAt = hub.clock().instant();
        boolean sessionPresent;
        if (endpoint.isCleanSession()) {
            hub.dropSession(clientId);
            session = new Session();
            sessionPresent = false;
        } else {
            EdgeHub.SessionLookup lookup = hub.session(clientId);
            session = lookup.session();
            sessionPresent = lookup.present();
        }
        int keepAlive = endpoint.keepAliveTimeSeconds();
        int maxKeepAlive = hub.options().maxKeepAliveSeconds();
        if (keepAlive == 0 || keepAlive > maxKeepAlive) {
            int timeout = (int) Math.ceil(maxKeepAlive * 1.5);
            MqttWire.readerIdleTimeout(socket, timeout, () -> LOG.info(
                    "Closing client '{}' from {}: silent for {} s (keep-alive asked {} s, at most {} s is honoured)",
                    clientId, remote, timeout, keepAlive, maxKeepAlive));
        }
        move(State.CONNECTED);
        ClientConnection previous = hub.register(clientId, this);
        if (previous != null) {
            previous.takeOver();
        }
        endpoint.accept(sessionPresent);
        twinId = new TwinId(accepted.deviceId(), accepted.moduleId());
        channel = new Channel();
        hub.management().connected(twinId, channel);
        LOG.info("Client '{}' connected from {} ({}{}, keep-alive {} s, {}session{})", clientId, remote,
                authType(accepted.authMethod()), socket.isSsl() ? ", TLS" : ", plain MQTT", keepAlive,
                endpoint.isCleanSession() ? "clean " : "persistent ", sessionPresent ? " present" : "");
        updatePumps();
    }

    private void refuseConnect(RefusalReason reason, MqttConnectReturnCode code, String why) {
        hub.counters().refused(reason);
        LOG.warn("Refused client '{}' from {}: {} (CONNACK {})", endpoint.clientIdentifier(), remote, why, code.byteValue());
        if (move(State.CLOSED)) {
            release();
            endpoint.reject(code);
            socket.close();
        }
    }

    /** Another connection authenticated with this client id: this one is closed, as IoT Hub does. Any thread. */
    void takeOver() {
        context.runOnContext(v -> {
            if (state != State.CLOSED) {
                LOG.info("Client '{}' from {}: a new connection with the same client id takes over; closing this one",
                        identity.clientId(), remote);
                close();
            }
        });
    }

    // ---------------------------------------------------------------- telemetry

    private void onPublish(MqttPublishMessage publish) {
        if (state != State.CONNECTED) {
            return;
        }
        String topic = publish.topicName();
        TopicRules.PublishTarget target = TopicRules.publish(topic, identity.deviceId(), identity.moduleId());
        switch (target) {
            case TopicRules.Forbidden f -> {
                refuseMessage(RefusalReason.FORBIDDEN_TOPIC, topic, "it may publish only to its own telemetry topic");
                return;
            }
            case TopicRules.MalformedRequest m -> {
                refuseMessage(RefusalReason.FORBIDDEN_TOPIC, topic, m.why());
                return;
            }
            case TopicRules.TwinGet g -> {
                respond("$iothub/twin/res/200/?$rid=" + g.rid(), hub.management().twin(twinId).toJson());
                acknowledgeInOrder(publish);
                return;
            }
            case TopicRules.TwinReported r -> {
                reportedPatch(publish, r.rid());
                return;
            }
            case TopicRules.MethodAnswer a -> {
                hub.management().methodResponse(twinId, a.rid(), a.status(), publish.payload().getBytes());
                acknowledgeInOrder(publish);
                return;
            }
            case TopicRules.Telemetry t -> telemetry(publish, topic, t.bag());
        }
    }

    private void telemetry(MqttPublishMessage publish, String topic, String bag) {
        Buffer payload = publish.payload();
        int length = payload.length();
        if (length > hub.options().maxMessageBytes()) {
            refuseMessage(RefusalReason.PAYLOAD_TOO_LARGE, topic, "its payload of " + length
                    + " bytes is over the limit of " + hub.options().maxMessageBytes() + " bytes");
            return;
        }
        Message message;
        try {
            message = PropertyBag.decode(bag).toMessage(payload.getBytes());
        } catch (PropertyBag.MalformedBagException e) {
            refuseMessage(RefusalReason.MALFORMED_PROPERTY_BAG, topic, e.getMessage());
            return;
        }
        Admission admission;
        try {
            admission = hub.ingress().offer(message, origin);
        } catch (RuntimeException e) {
            sinkRefused(publish, topic, e);
            return;
        }
        hub.counters().received.increment();
        hub.counters().bytes.add(length);
        HubTaps taps = hub.taps();
        if (taps != null && taps.any()) {
            byte[] bytes = payload.getBytes();
            // After the routes: a tap reads telemetry, it does not take it from them (see HubTaps).
            admission.taken().thenRun(() -> context.runOnContext(v -> taps.telemetry(topic, bytes)));
        }
        if (admission.slowDown()) {
            pause();
            admission.whenRelieved(() -> context.runOnContext(v -> resume()));
        }
        if (publish.qosLevel() == MqttQoS.AT_MOST_ONCE) {
            admission.taken().whenComplete((ok, failure) -> {
                if (failure != null) {
                    hub.counters().refused(RefusalReason.SINK_REFUSED);
                    LOG.debug("Client '{}': QoS 0 message on '{}' refused by a sink: {}", identity.clientId(), topic,
                            describe(failure));
                }
            });
            return;
        }
        PendingAck pending = new PendingAck(publish.messageId());
        pendingAcks.add(pending);
        admission.taken().whenComplete((ok, failure) -> context.runOnContext(v -> {
            if (state != State.CONNECTED) {
                return;
            }
            if (failure != null) {
                sinkRefused(publish, topic, failure);
                return;
            }
            pending.taken = true;
            flushAcks();
        }));
    }

    /** Applies a reported patch (durably, off the loop) and answers 204 with the new version, or 400/413. */
    private void reportedPatch(MqttPublishMessage publish, String rid) {
        PendingAck pending = publish.qosLevel() == MqttQoS.AT_MOST_ONCE ? null : new PendingAck(publish.messageId());
        if (pending != null) {
            pendingAcks.add(pending);
        }
        hub.management().patchReported(twinId, publish.payload().getBytes()).whenComplete((twin, failure) ->
                context.runOnContext(v -> {
                    if (state != State.CONNECTED) {
                        return;
                    }
                    if (failure == null) {
                        respond("$iothub/twin/res/204/?$rid=" + rid + "&$version=" + twin.reportedVersion(), new byte[0]);
                    } else {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
                        TwinException refusal = cause instanceof TwinException t ? t
                                : new TwinException(500, "the gateway could not store the patch: " + cause.getMessage());
                        LOG.info("Client '{}': reported patch refused with {}: {}", identity.clientId(), refusal.status(),
                                refusal.getMessage());
                        respond("$iothub/twin/res/" + refusal.status() + "/?$rid=" + rid, refusal.body());
                    }
                    if (pending != null) {
                        pending.taken = true;
                        flushAcks();
                    }
                }));
    }

    /**
     * Sends a function's message to this client, QoS 0, if one of its subscriptions (each allowed
     * by {@link TopicRules#maySubscribe}) matches {@code topic}; from any thread.
     */
    void deliverPublished(String topic, byte[] payload, boolean retain) {
        context.runOnContext(v -> {
            if (state == State.CONNECTED && session.filters().stream()
                    .anyMatch(f -> io.edgefn.triggers.mqtt.TopicFilters.matches(f, topic))) {
                endpoint.publish(topic, Buffer.buffer(payload), MqttQoS.AT_MOST_ONCE, false, retain);
            }
        });
    }

    /** Publishes a twin answer or a management message to the client, QoS 0. On the event loop. */
    private void respond(String topic, byte[] payload) {
        if (state == State.CONNECTED) {
            endpoint.publish(topic, Buffer.buffer(payload), MqttQoS.AT_MOST_ONCE, false, false);
        }
    }

    private void acknowledgeInOrder(MqttPublishMessage publish) {
        if (publish.qosLevel() != MqttQoS.AT_MOST_ONCE) {
            PendingAck pending = new PendingAck(publish.messageId());
            pending.taken = true;
            pendingAcks.add(pending);
            flushAcks();
        }
    }

    private void flushAcks() {
        while (!pendingAcks.isEmpty() && pendingAcks.peek().taken) {
            PendingAck done = pendingAcks.poll();
            endpoint.publishAcknowledge(done.packetId);
            hub.counters().acked.increment();
        }
    }

    private void sinkRefused(MqttPublishMessage publish, String topic, Throwable failure) {
        hub.counters().refused(RefusalReason.SINK_REFUSED);
        if (publish.qosLevel() == MqttQoS.AT_MOST_ONCE) {
            LOG.debug("Client '{}': QoS 0 message on '{}' refused: {}", identity.clientId(), topic, describe(failure));
            return;
        }
        LOG.warn("Client '{}' from {}: message on '{}' refused by the host ({}); closing without PUBACK so that it "
                + "resends after reconnecting", identity.clientId(), remote, topic, describe(failure));
        close();
    }

    private void refuseMessage(RefusalReason reason, String topic, String why) {
        hub.counters().refused(reason);
        LOG.warn("Client '{}' from {}: dropped its PUBLISH to '{}' and disconnected it: {}", identity.clientId(), remote,
                abbreviate(topic), why);
        close();
    }

    private void pause() {
        if (pauseDepth++ == 0) {
            paused = true;
            socket.pause();
        }
    }

    private void resume() {
        if (pauseDepth > 0 && --pauseDepth == 0) {
            paused = false;
            if (state != State.CLOSED) {
                socket.resume();
            }
        }
    }

    // ---------------------------------------------------------------- subscriptions and module inputs

    private void onSubscribe(MqttSubscribeMessage subscribe) {
        if (state != State.CONNECTED) {
            return;
        }
        List<MqttQoS> granted = new ArrayList<>();
        for (MqttTopicSubscription s : subscribe.topicSubscriptions()) {
            if (TopicRules.maySubscribe(s.topicName(), identity.deviceId(), identity.moduleId())) {
                session.filters().add(s.topicName());
                granted.add(s.qualityOfService() == MqttQoS.AT_MOST_ONCE ? MqttQoS.AT_MOST_ONCE : MqttQoS.AT_LEAST_ONCE);
            } else {
                LOG.warn("Client '{}' from {}: refused its subscription to '{}' (SUBACK 0x80): not one of its own topics",
                        identity.clientId(), remote, abbreviate(s.topicName()));
                granted.add(MqttQoS.FAILURE);
            }
        }
        endpoint.subscribeAcknowledge(subscribe.messageId(), granted);
        updatePumps();
        hub.management().subscriptionsChanged(twinId, channel);
    }

    private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
        if (state != State.CONNECTED) {
            return;
        }
        unsubscribe.topics().forEach(session.filters()::remove);
        endpoint.unsubscribeAcknowledge(unsubscribe.messageId());
        updatePumps();
        hub.management().subscriptionsChanged(twinId, channel);
    }

    /** Starts a pump for each inbox the subscriptions cover and stops those no longer covered. */
    private void updatePumps() {
        if (state != State.CONNECTED || identity.moduleId() == null
                || !identity.deviceId().equals(hub.options().gatewayId())) {
            return;
        }
        Set<String> covered = new HashSet<>();
        List<ModuleInbox> inboxes = hub.inboxes().inboxes(identity.moduleId());
        for (ModuleInbox inbox : inboxes) {
            for (String filter : session.filters()) {
                if (TopicRules.coversInput(filter, identity.deviceId(), identity.moduleId(), inbox.input())) {
                    covered.add(inbox.input());
                }
            }
        }
        pumps.removeIf(p -> {
            if (!covered.contains(p.inbox().input())) {
                p.stop();
                return true;
            }
            return false;
        });
        for (ModuleInbox inbox : inboxes) {
            if (covered.contains(inbox.input()) && pumps.stream().noneMatch(p -> p.inbox() == inbox)) {
                ModulePump pump = new ModulePump(inbox, hub.inboxPermit(inbox), hub.options().moduleWindow(),
                        this::deliverLater, identity.clientId());
                pumps.add(pump);
                pump.start();
            }
        }
    }

    /** Called on a pump's thread: hands the record to the event loop. */
    private void deliverLater(ModulePump pump, BufferedRecord record) {
        context.runOnContext(v -> deliver(pump, record));
    }

    private void deliver(ModulePump pump, BufferedRecord record) {
        if (state != State.CONNECTED || pump.stopped()) {
            pump.returned();
            return;
        }
        Message message;
        try {
            message = UpstreamRecords.decode(record.payload());
        } catch (IllegalArgumentException e) {
            LOG.warn("Module '{}': skipped an unreadable record at offset {} of input '{}': {}", identity.clientId(),
                    record.offset(), pump.inbox().input(), e.getMessage());
            pump.acked(record.offset());
            return;
        }
        String topic = TopicRules.moduleInput(identity.deviceId(), identity.moduleId(), pump.inbox().input(),
                PropertyBag.encode(message, true));
        int packetId = nextPacketId();
        outbound.put(packetId, new Delivery(pump, record.offset()));
        hub.counters().moduleSent.increment();
        endpoint.publish(topic, Buffer.buffer(message.body()), MqttQoS.AT_LEAST_ONCE, false, false, packetId)
                .onFailure(e -> LOG.debug("Module '{}': publishing to '{}' failed: {}", identity.clientId(), topic,
                        e.toString()));
    }

    private int nextPacketId() {
        // The window keeps far fewer than 65,535 in flight, so a free id is always near.
        do {
            nextPacketId = nextPacketId == 65_535 ? 1 : nextPacketId + 1;
        } while (outbound.containsKey(nextPacketId) || deviceBound.containsKey(nextPacketId));
        return nextPacketId;
    }

    private void onModuleAck(Integer packetId) {
        CompletableFuture<Void> c2d = deviceBound.remove(packetId);
        if (c2d != null) {
            c2d.complete(null);
            return;
        }
        Delivery delivery = outbound.remove(packetId);
        if (delivery != null) {
            hub.counters().moduleAcked.increment();
            delivery.pump().acked(delivery.offset());
        }
    }

    // ---------------------------------------------------------------- close

    /** Closes the connection and releases what it held. */
    void close() {
        if (endpoint != null) {
            closed();
            endpoint.close();
        } else {
            move(State.CLOSED);
        }
        socket.close();
    }

    /** The connection closed (or is closing): releases everything, once. */
    private void closed() {
        move(State.CLOSED);
        if (cleanedUp) {
            return;
        }
        cleanedUp = true;
        pumps.forEach(ModulePump::stop);
        pumps.clear();
        outbound.clear();
        pendingAcks.clear();
        if (channel != null) {
            hub.management().disconnected(twinId, channel);
        }
        List<CompletableFuture<Void>> unacknowledged = new ArrayList<>(deviceBound.values());
        deviceBound.clear();
        unacknowledged.forEach(f -> f.completeExceptionally(new IOException("the connection closed before its PUBACK")));
        if (identity != null && hub.unregister(identity.clientId(), this)) {
            LOG.info("Client '{}' from {} disconnected", identity.clientId(), remote);
        }
        release();
    }

    private void release() {
        if (admitted) {
            admitted = false;
            hub.released();
        }
    }

    /** This connection as device management sees it. Any thread; each call hops to the event loop. */
    private final class Channel implements DeviceChannel {

        @Override
        public boolean subscribed(Feature feature) {
            Session s = session;
            if (s == null) {
                return false;
            }
            return switch (feature) {
                case DESIRED -> s.filters().contains("$iothub/twin/PATCH/properties/desired/#");
                case METHODS -> s.filters().contains("$iothub/methods/POST/#");
                // A device is subscribed to its cloud-to-device messages implicitly, as edgeHub does: the Azure
                // SDKs never subscribe to devicebound when their connection string names a GatewayHostName.
                case CLOUD_TO_DEVICE -> identity.moduleId() == null;
            };
        }

        @Override
        public void sendDesired(byte[] patch, long version) {
            context.runOnContext(v -> respond("$iothub/twin/PATCH/properties/desired/?$version=" + version, patch));
        }

        @Override
        public void sendMethod(String name, String rid, byte[] payload) {
            context.runOnContext(v -> respond("$iothub/methods/POST/" + name + "/?$rid=" + rid, payload));
        }

        @Override
        public CompletionStage<Void> sendCloudToDevice(Message message) {
            CompletableFuture<Void> acked = new CompletableFuture<>();
            context.runOnContext(v -> {
                if (state != State.CONNECTED) {
                    acked.completeExceptionally(new IOException("the connection closed"));
                    return;
                }
                int packetId = nextPacketId();
                deviceBound.put(packetId, acked);
                // IoT Hub's bag starts with $.to, and the Azure SDKs read properties only from the first "%24" on.
                String bag = PropertyBag.encode(message, false);
                String to = "%24.to=" + java.net.URLEncoder.encode("/devices/" + identity.deviceId() + "/messages/deviceBound",
                        java.nio.charset.StandardCharsets.UTF_8);
                String topic = "devices/" + identity.deviceId() + "/messages/devicebound/" + to + (bag.isEmpty() ? "" : "&" + bag);
                endpoint.publish(topic, Buffer.buffer(message.body()), MqttQoS.AT_LEAST_ONCE, false, false, packetId)
                        .onFailure(e -> LOG.debug("Client '{}': publishing to '{}' failed: {}", identity.clientId(), topic,
                                e.toString()));
            });
            return acked;
        }
    }

    /** This client as {@link HubStats} shows it; any thread. */
    HubStats.ClientInfo info() {
        return new HubStats.ClientInfo(origin == null ? null : origin.authMethod(), remote, connectedAt, paused);
    }

    private String who() {
        return identity != null ? "client '" + identity.clientId() + "'"
                : endpoint != null ? "client id '" + endpoint.clientIdentifier() + "'" : "before CONNECT";
    }

    private static String authType(String authMethod) {
        int i = authMethod.indexOf("\"type\":\"");
        if (i < 0) {
            return authMethod;
        }
        int end = authMethod.indexOf('"', i + 8);
        return end < 0 ? authMethod : authMethod.substring(i + 8, end);
    }

    private static String describe(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c.getClass() == RuntimeException.class) && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 197) + "…";
    }
}
