package io.edgefn.hub;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.edgefn.api.Message;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.deploy.Deployment;
import io.edgefn.hub.identity.Authenticator;
import io.edgefn.hub.identity.DeviceRegistry;
import io.edgefn.hub.identity.GatewayIdentity;
import io.edgefn.hub.identity.Identity;
import io.edgefn.hub.identity.SasToken;
import io.edgefn.runtime.EdgeHost;
import io.edgefn.runtime.UpstreamRecords;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.LoggerFactory;

/**
 * A real host (deployment JSON, data directory in a temporary folder) with a real edge hub on a
 * free plain port, Paho clients to talk to it, and the hub's log lines captured.
 */
final class HubFixture implements AutoCloseable {

    static final String GATEWAY = "gw";

    final Vertx vertx;
    final EdgeHost host;
    final EdgeHub hub;
    /** The gateway's real identity registry: clients are registered on first use and sign real SAS tokens. */
    final GatewayIdentity identity;
    final DeviceRegistry registry;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final List<MqttAsyncClient> clients = new ArrayList<>();

    private HubFixture(Path dir, String deploymentJson, UnaryOperator<EdgeHost.Builder> hostOptions,
                       UnaryOperator<HubOptions.Builder> options) {
        Logger logger = (Logger) LoggerFactory.getLogger(EdgeHub.class);
        log.start();
        logger.addAppender(log);
        vertx = Vertx.vertx();
        Deployment deployment = Deployment.parse(deploymentJson.getBytes(StandardCharsets.UTF_8), "test deployment", dir);
        Path data = dir.resolve("data");
        identity = GatewayIdentity.loadOrCreate(data, GATEWAY, "localhost");
        registry = DeviceRegistry.open(data);
        host = hostOptions.apply(EdgeHost.builder().deployment(deployment).dataDirectory(data)
                .gatewayId(GATEWAY).vertx(vertx)).build().start();
        hub = EdgeHub.start(vertx, options.apply(HubOptions.builder().gatewayId(GATEWAY).tlsPort(-1).plainPort(0)
                        .host("127.0.0.1")).build(),
                host, host::moduleInboxes, ClientAuthenticator.of(new Authenticator(identity, registry, InstantSource.system())),
                InstantSource.system());
    }

    static HubFixture start(Path dir, String deploymentJson) {
        return new HubFixture(dir, deploymentJson, b -> b, b -> b);
    }

    static HubFixture start(Path dir, String deploymentJson, UnaryOperator<HubOptions.Builder> options) {
        return new HubFixture(dir, deploymentJson, b -> b, options);
    }

    /** A fixture whose host is built with {@code hostOptions} applied (queue capacity, say). */
    static HubFixture startWithHost(Path dir, String deploymentJson, UnaryOperator<EdgeHost.Builder> hostOptions) {
        return new HubFixture(dir, deploymentJson, hostOptions, b -> b);
    }

    /**
     * A valid SAS token of {@code clientId} ({@code deviceId} or {@code deviceId/moduleId}), which
     * is registered in the gateway's registry on first use, as {@code edgefn devices add} does.
     */
    String password(String clientId) {
        int slash = clientId.indexOf('/');
        String deviceId = slash < 0 ? clientId : clientId.substring(0, slash);
        String moduleId = slash < 0 ? null : clientId.substring(slash + 1);
        Identity id = registry.find(deviceId, moduleId).orElseGet(() -> registry.add(deviceId, moduleId, null));
        String resource = identity.hubHostName() + "/devices/" + deviceId + (moduleId == null ? "" : "/modules/" + moduleId);
        return SasToken.create(resource, Base64.getDecoder().decode(id.primaryKey()), Instant.now().plus(Duration.ofHours(1)), null);
    }

    /** Connection options of {@code clientId} with a valid SAS token, clean session, automatic reconnect off. */
    MqttConnectOptions options(String clientId) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(identity.hubHostName() + "/" + clientId + "/?api-version=2021-04-12&DeviceClientType=test");
        o.setPassword(password(clientId).toCharArray());
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setMaxInflight(64);
        o.setConnectionTimeout(10);
        return o;
    }

    String uri() {
        return "tcp://127.0.0.1:" + hub.plainPort();
    }

    /** A connected client. */
    MqttAsyncClient connect(String clientId) throws Exception {
        return connect(clientId, options(clientId));
    }

    /** A client connected with {@code options}. */
    MqttAsyncClient connect(String clientId, MqttConnectOptions options) throws Exception {
        MqttAsyncClient client = client(clientId);
        client.connect(options).waitForCompletion(10_000);
        return client;
    }

    /** A client not yet connected. */
    MqttAsyncClient client(String clientId) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(uri(), clientId, new MemoryPersistence());
        clients.add(client);
        return client;
    }

    /**
     * Publishes {@code count} QoS 1 messages, at most 32 unacknowledged at a time (Paho's own
     * window is 64), and waits until each is acknowledged or failed; returns how many were acknowledged.
     */
    static int publishQos1(MqttAsyncClient client, int count, java.util.function.IntFunction<String> topic,
                           java.util.function.IntFunction<byte[]> payload) throws InterruptedException {
        java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(32);
        java.util.concurrent.atomic.AtomicInteger acked = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(count);
        org.eclipse.paho.client.mqttv3.IMqttActionListener listener = new org.eclipse.paho.client.mqttv3.IMqttActionListener() {
            @Override
            public void onSuccess(org.eclipse.paho.client.mqttv3.IMqttToken token) {
                acked.incrementAndGet();
                window.release();
                done.countDown();
            }

            @Override
            public void onFailure(org.eclipse.paho.client.mqttv3.IMqttToken token, Throwable e) {
                window.release();
                done.countDown();
            }
        };
        for (int i = 0; i < count; i++) {
            window.acquire();
            try {
                client.publish(topic.apply(i), payload.apply(i), 1, false, null, listener);
            } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
                window.release();
                for (int rest = i; rest < count; rest++) {
                    done.countDown(); // disconnected: the rest are not sent
                }
                break;
            }
        }
        if (!done.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("publishes still unanswered after 60 s");
        }
        return acked.get();
    }

    /** What the host's offline buffer holds for {@code $upstream}. */
    List<Message> upstream() {
        List<Message> out = new ArrayList<>();
        for (BufferedRecord r : host.buffer().peek(UpstreamRecords.CURSOR, 100_000)) {
            out.add(UpstreamRecords.decode(r.payload()));
        }
        return out;
    }

    /** The hub's log lines so far (formatted), at {@code level} or above. */
    List<String> logLines(ch.qos.logback.classic.Level level) {
        return List.copyOf(log.list).stream().filter(e -> e.getLevel().isGreaterOrEqual(level))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() throws Exception {
        for (MqttAsyncClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnectForcibly(100, 1000);
                }
                c.close(true);
            } catch (Exception ignored) {
                // a client the test already broke
            }
        }
        hub.close();
        host.close();
        vertx.close().await();
        ((Logger) LoggerFactory.getLogger(EdgeHub.class)).detachAppender(log);
    }
}
