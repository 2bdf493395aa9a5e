package io.edgefn.upstream;

import io.edgefn.triggers.Backoff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.deploy.Deployment;
import io.edgefn.hub.PropertyBag;
import io.edgefn.runtime.EdgeHost;
import io.edgefn.runtime.MessageOrigin;
import io.edgefn.runtime.UpstreamRecords;
import io.edgefn.testing.ManualClock;
import io.edgefn.testing.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upstream link against a real Mosquitto and a real host with its durable buffer. */
@Tag("integration")
class UpstreamLinkIT {

    private static final Duration AWAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    /** One message as the subscriber saw it. */
    record Received(String topic, String messageId, Map<String, String> properties, String body) {
    }

    /** A QoS 1 subscriber on {@code devices/#} with a persistent session, reconnecting by itself. */
    static final class Subscriber implements AutoCloseable {
        final List<Received> received = new CopyOnWriteArrayList<>();
        final MqttAsyncClient client;

        Subscriber(String url) throws Exception {
            client = new MqttAsyncClient(url, "test-subscriber", new MemoryPersistence());
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    int at = topic.indexOf("/messages/events/");
                    PropertyBag.Decoded bag = PropertyBag.decode(topic.substring(at + "/messages/events/".length()));
                    received.add(new Received(topic.substring(0, at), bag.systemProperties().get(SystemProperties.MESSAGE_ID),
                            bag.properties(), new String(message.getPayload(), StandardCharsets.UTF_8)));
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(false); // the broker keeps the subscription and queues for us across its restarts
            o.setAutomaticReconnect(true);
            o.setMaxReconnectDelay(500);
            o.setMaxInflight(1000);
            client.connect(o).waitForCompletion(10_000);
            client.subscribe("devices/#", 1).waitForCompletion(10_000);
        }

        Set<String> ids() {
            Set<String> ids = new HashSet<>();
            received.forEach(r -> ids.add(r.messageId()));
            return ids;
        }

        @Override
        public void close() throws Exception {
            client.disconnectForcibly(0, 1000, false);
            client.close(true);
        }
    }

    private EdgeHost host(String deploymentJson, InstantSource clock) {
        EdgeHost.Builder b = EdgeHost.builder()
                .deployment(Deployment.parse(deploymentJson.getBytes(StandardCharsets.UTF_8), "test"))
                .dataDirectory(dir.resolve("data")).gatewayId("gw");
        if (clock != null) {
            b.clock(clock);
        }
        return closing(b.build().start());
    }

    private static final String ALL_UP = """
            {"routes": {"up": "FROM /messages/* INTO $upstream"}}""";

    private static Message message(String id, Map<String, String> props) {
        return Message.builder().body("body-" + id).properties(props).systemProperty(SystemProperties.MESSAGE_ID, id).build();
    }

    private static MessageOrigin originOf(int i) {
        return switch (i % 3) {
            case 0 -> MessageOrigin.localDevice("leaf1");
            case 1 -> MessageOrigin.localDevice("leaf2");
            default -> MessageOrigin.function("gw", "fn");
        };
    }

    private static String expectedTopic(int i) {
        return switch (i % 3) {
            case 0 -> "devices/leaf1";
            case 1 -> "devices/leaf2";
            default -> "devices/gw/modules/fn";
        };
    }

    private static void submitAll(EdgeHost host, int from, int to, String prefix) {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = from; i < to; i++) {
            acks.add(host.submit(message(prefix + i, Map.of("seq", Integer.toString(i))), originOf(i)));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
    }

    private UpstreamLink link(MosquittoBroker broker, EdgeHost host, InstantSource clock, Backoff backoff) {
        UpstreamConfig config = UpstreamConfig.parse("mqtt://127.0.0.1:" + broker.port(), null, Map.of());
        return closing(UpstreamLink.start(config, host.buffer().cursor(UpstreamRecords.CURSOR), "gw", clock, backoff,
                UpstreamLink.DEFAULT_WINDOW, Backoff.DEFAULT_STABLE_AFTER));
    }

    private static Backoff quickBackoff() {
        return new Backoff(Duration.ofMillis(50), Duration.ofMillis(500), new SplittableRandom(7));
    }

    @Test
    void drain_thousandMessagesFromTwoLeavesAndAFunction_arriveOnTheirTopicsAndEmptyTheBuffer() throws Exception {
        MosquittoBroker broker = closing(MosquittoBroker.start(dir.resolve("broker")));
        Subscriber sub = closing(new Subscriber(broker.url()));
        EdgeHost host = host(ALL_UP, null);
        submitAll(host, 0, 1000, "m");
        assertThat(host.buffer().cursor(UpstreamRecords.CURSOR).depth()).isEqualTo(1000);

        UpstreamLink link = closing(UpstreamLink.start(UpstreamConfig.parse(broker.url().replace("tcp:", "mqtt:"), null, Map.of()),
                host.buffer().cursor(UpstreamRecords.CURSOR), "gw", InstantSource.system(), new SplittableRandom(1)));

        await().atMost(AWAIT).until(() -> sub.ids().size() == 1000);
        Map<String, Received> byId = new ConcurrentHashMap<>();
        sub.received.forEach(r -> byId.put(r.messageId(), r));
        for (int i = 0; i < 1000; i++) {
            Received r = byId.get("m" + i);
            assertThat(r.topic()).as("topic of m" + i).isEqualTo(expectedTopic(i));
            assertThat(r.properties()).containsEntry("seq", Integer.toString(i));
            assertThat(r.body()).isEqualTo("body-m" + i);
        }
        await().atMost(AWAIT).until(() -> host.buffer().cursor(UpstreamRecords.CURSOR).depth() == 0);
        UpstreamStats stats = link.stats();
        assertThat(stats.sent()).isEqualTo(1000);
        assertThat(stats.state()).isEqualTo(UpstreamState.CONNECTED);
        assertThat(stats.reconnects()).isZero();
        assertThat(stats.inFlight()).isZero();
    }

    @Test
    void outage_messagesAreHeldWhileTheBrokerIsDown_andTheLinkResumesWithinOneBackoffStep() throws Exception {
        MosquittoBroker broker = closing(MosquittoBroker.builder().persistence(true).start(dir.resolve("broker")));
        Subscriber sub = closing(new Subscriber(broker.url()));
        EdgeHost host = host(ALL_UP, null);
        // The real numbers: 100 ms doubling to 30 s, full jitter.
        UpstreamLink link = link(broker, host, InstantSource.system(),
                new Backoff(Backoff.DEFAULT_INITIAL, Backoff.DEFAULT_CAP, new SplittableRandom(42)));
        submitAll(host, 0, 100, "a");
        await().atMost(AWAIT).until(() -> sub.ids().size() == 100);

        broker.stop();
        await().atMost(AWAIT).until(() -> link.stats().connectFailures() >= 4);
        submitAll(host, 100, 300, "a");
        assertThat(host.buffer().cursor(UpstreamRecords.CURSOR).depth()).as("held while the broker is down").isEqualTo(200);
        assertThat(link.stats().state()).isNotEqualTo(UpstreamState.CONNECTED);

        broker.restart();
        Instant back = Instant.now();
        await().atMost(AWAIT).until(() -> sub.ids().size() == 300);
        await().atMost(AWAIT).until(() -> host.buffer().cursor(UpstreamRecords.CURSOR).depth() == 0);

        UpstreamStats stats = link.stats();
        Duration resumedAfter = Duration.between(back, stats.lastConnectedAt());
        System.out.printf("outage: %d failed connects, last delay %d ms, resumed %d ms after the broker came back%n",
                stats.connectFailures(), stats.lastBackoff().toMillis(), resumedAfter.toMillis());
        assertThat(stats.reconnects()).isEqualTo(1);
        assertThat(stats.lastBackoff()).isLessThanOrEqualTo(Backoff.DEFAULT_CAP);
        // Resumed in the delay that was running when the broker came back (plus the connect itself), not at some later step.
        assertThat(resumedAfter).isLessThanOrEqualTo(stats.lastBackoff().plusSeconds(2));
    }

    @Test
    void aBrokerThatWantsAPassword_takesTheAuthFilesCredentials_andRefusesAWrongOne() throws Exception {
        MosquittoBroker broker = closing(MosquittoBroker.builder().passwordUser("gw", "s3cret").passwordUser("app", "app-pass")
                .start(dir.resolve("broker")));
        MqttAsyncClient app = new MqttAsyncClient(broker.url(), "cloud-app", new MemoryPersistence());
        MqttConnectOptions login = new MqttConnectOptions();
        login.setUserName("app");
        login.setPassword("app-pass".toCharArray());
        app.connect(login).waitForCompletion(10_000);
        Set<String> ids = ConcurrentHashMap.newKeySet();
        app.subscribe("devices/#", 1, (topic, m) -> ids.add(PropertyBag.decode(topic.substring(topic.indexOf("/events/") + 8))
                .systemProperties().get(SystemProperties.MESSAGE_ID))).waitForCompletion(10_000);
        EdgeHost host = host(ALL_UP, null);
        host.submit(message("with-password", Map.of()), originOf(0)).join();

        Path wrong = authFile("wrong.auth", "username=gw\npassword=not-it\n");
        UpstreamLink refused = closing(UpstreamLink.start(UpstreamConfig.parse("mqtt://127.0.0.1:" + broker.port(), "@" + wrong,
                Map.of()), host.buffer().cursor(UpstreamRecords.CURSOR), "gw", InstantSource.system(), new SplittableRandom(3)));
        await().atMost(AWAIT).until(() -> refused.stats().connectFailures() >= 1);
        assertThat(refused.stats().sent()).isZero();
        assertThat(refused.stats().lastError()).isNotNull();
        refused.close();

        Path right = authFile("right.auth", "# the broker's account for this gateway\nusername=gw\npassword=s3cret\n");
        UpstreamLink link = closing(UpstreamLink.start(UpstreamConfig.parse("mqtt://127.0.0.1:" + broker.port(), "@" + right,
                Map.of()), host.buffer().cursor(UpstreamRecords.CURSOR), "gw", InstantSource.system(), new SplittableRandom(3)));
        await().atMost(AWAIT).until(() -> ids.contains("with-password"));
        assertThat(link.stats().connects()).isEqualTo(1);
        app.disconnect().waitForCompletion(10_000);
        app.close();
    }

    private Path authFile(String name, String content) throws java.io.IOException {
        Path file = java.nio.file.Files.writeString(dir.resolve(name), content);
        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void flapping_brokerRestartedThreeTimesDuringAStream_losesNothingAcknowledged() throws Exception {
        MosquittoBroker broker = closing(MosquittoBroker.builder().persistence(true).start(dir.resolve("broker")));
        Subscriber sub = closing(new Subscriber(broker.url()));
        EdgeHost host = host(ALL_UP, null);
        UpstreamLink link = link(broker, host, InstantSource.system(), quickBackoff());

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                for (int batch = 0; batch < 40; batch++) {
                    List<CompletableFuture<Void>> acks = new ArrayList<>();
                    for (int i = batch * 50; i < (batch + 1) * 50; i++) {
                        String id = "f" + i;
                        acks.add(host.submit(message(id, Map.of()), originOf(i)).thenRun(() -> acknowledged.add(id)));
                    }
                    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
                    // A steady stream of ~500 messages a second, so that every restart falls inside it.
                    java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                }
            } catch (Throwable t) {
                producerFailure.set(t);
            }
        }, "test-producer");
        producer.start();

        // Each restart hits a connected link in mid-stream.
        // The test's own subscriber is connected again before each restart. Two full runs failed with
        // acknowledged ids missing at the subscriber (never when run alone) after three restarts within
        // 1.3 s, faster than its 1 s reconnect: its persistent session went through restarts while it
        // was away. That is the subscriber's race, not the link's; if ids still go missing, the
        // failure prints which, with the link's state and the broker's log.
        for (int threshold : new int[] {300, 800, 1300}) {
            await().atMost(AWAIT).until(() -> link.stats().state() == UpstreamState.CONNECTED && link.stats().sent() >= threshold
                    && sub.client.isConnected());
            broker.restart();
        }
        producer.join(AWAIT.toMillis());
        assertThat(producerFailure.get()).isNull();
        assertThat(acknowledged).hasSize(2000);
        try {
            await().atMost(AWAIT).until(() -> sub.ids().containsAll(acknowledged));
        } catch (org.awaitility.core.ConditionTimeoutException e) { // say what was missing and where the link stood
            Set<String> missing = new java.util.TreeSet<>(acknowledged);
            missing.removeAll(sub.ids());
            List<String> log = broker.log().lines().toList();
            System.out.printf("flapping: %d acknowledged ids never arrived (first: %s); received %d; link %s; subscriber connected %s;%n"
                    + "broker log tail:%n%s%n", missing.size(), missing.stream().limit(10).toList(), sub.received.size(),
                    link.stats(), sub.client.isConnected(), String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size())));
            throw e;
        }
        await().atMost(AWAIT).until(() -> host.buffer().cursor(UpstreamRecords.CURSOR).depth() == 0);

        await().atMost(AWAIT).until(() -> link.stats().reconnects() >= 3);
        int duplicates = sub.received.size() - sub.ids().size();
        UpstreamStats stats = link.stats();
        System.out.printf("flapping: 2000 acknowledged, %d received, %d duplicates, %d reconnects, %d failed connects%n",
                sub.received.size(), duplicates, stats.reconnects(), stats.connectFailures());
        assertThat(stats.reconnects()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void priorities_afterAnOutage_highPriorityArrivesBeforeLow() throws Exception {
        MosquittoBroker broker = closing(MosquittoBroker.builder().persistence(true).start(dir.resolve("broker")));
        Subscriber sub = closing(new Subscriber(broker.url()));
        broker.stop(); // the subscriber's session is saved; the broker queues for it after the restart
        EdgeHost host = host("""
                {"routes": {
                  "high": {"route": "FROM /messages/* WHERE level = 'high' INTO $upstream", "priority": 0},
                  "low":  {"route": "FROM /messages/* WHERE level = 'low' INTO $upstream", "priority": 5}}}""", null);
        UpstreamLink link = link(broker, host, InstantSource.system(), quickBackoff());
        await().atMost(AWAIT).until(() -> link.stats().connectFailures() >= 1);

        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            acks.add(host.submit(message("low" + i, Map.of("level", "low")), MessageOrigin.localDevice("leaf1")));
        }
        for (int i = 0; i < 40; i++) {
            acks.add(host.submit(message("high" + i, Map.of("level", "high")), MessageOrigin.localDevice("leaf1")));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();

        broker.restart();
        await().atMost(AWAIT).until(() -> sub.ids().size() == 80);
        List<String> order = new ArrayList<>();
        sub.received.forEach(r -> {
            if (!order.contains(r.messageId())) {
                order.add(r.messageId());
            }
        });
        assertThat(order.subList(0, 40)).allMatch(id -> id.startsWith("high"));
        assertThat(order.subList(40, 80)).allMatch(id -> id.startsWith("low"));
        assertThat(order.subList(0, 40)).containsExactly(order.subList(0, 40).stream()
                .sorted((a, b) -> Integer.compare(Integer.parseInt(a.substring(4)), Integer.parseInt(b.substring(4)))).toArray(String[]::new));
    }

    @Test
    void ttl_expiredRecordsAreNotSentAndAreCounted() throws Exception {
        MosquittoBroker broker = closing(MosquittoBroker.start(dir.resolve("broker")));
        Subscriber sub = closing(new Subscriber(broker.url()));
        ManualClock clock = new ManualClock();
        EdgeHost host = host("""
                {"routes": {
                  "short": {"route": "FROM /messages/* WHERE kind = 'short' INTO $upstream", "timeToLiveSecs": 60},
                  "long":  {"route": "FROM /messages/* WHERE kind = 'long' INTO $upstream", "timeToLiveSecs": 3600}}}""", clock);
        for (int i = 0; i < 10; i++) {
            host.submit(message("short" + i, Map.of("kind", "short")), MessageOrigin.localDevice("leaf1")).join();
            host.submit(message("long" + i, Map.of("kind", "long")), MessageOrigin.localDevice("leaf1")).join();
        }
        // The buffer's clock still reads the submit time, so its cursor hands the short-lived records out;
        // the link's clock is 2 minutes later and must drop them itself.
        InstantSource linkClock = () -> clock.instant().plus(Duration.ofMinutes(2));
        UpstreamLink link = link(broker, host, linkClock, quickBackoff());
        await().atMost(AWAIT).until(() -> host.buffer().cursor(UpstreamRecords.CURSOR).depth() == 0);
        await().atMost(AWAIT).until(() -> sub.ids().size() == 10);
        assertThat(link.stats().expiredDropped()).isEqualTo(10);
        assertThat(link.stats().sent()).isEqualTo(10);

        // Now the buffer's own clock has passed the expiry: the cursor skips them and the buffer counts them.
        long droppedBefore = host.buffer().stats().droppedTtl();
        for (int i = 10; i < 15; i++) {
            host.submit(message("short" + i, Map.of("kind", "short")), MessageOrigin.localDevice("leaf1")).join();
        }
        host.submit(message("long-last", Map.of("kind", "long")), MessageOrigin.localDevice("leaf1")).join();
        clock.advance(Duration.ofMinutes(2));
        await().atMost(AWAIT).until(() -> sub.ids().contains("long-last"));
        await().atMost(AWAIT).until(() -> host.buffer().cursor(UpstreamRecords.CURSOR).depth() == 0);
        long skippedByBuffer = host.buffer().stats().droppedTtl() - droppedBefore;
        assertThat(skippedByBuffer + link.stats().expiredDropped() - 10).isEqualTo(5);
        assertThat(sub.ids()).noneMatch(id -> id.startsWith("short"));
    }

    @Test
    void brokerMode_aMessageOverIotHubsLimit_isPublishedAsIs() throws Exception {
        MosquittoBroker broker = closing(MosquittoBroker.start(dir.resolve("broker")));
        Subscriber sub = closing(new Subscriber(broker.url()));
        EdgeHost host = host(ALL_UP, null);
        byte[] big = new byte[300 * 1024];
        java.util.Arrays.fill(big, (byte) 'x');
        host.submit(Message.builder().body(big).systemProperty(SystemProperties.MESSAGE_ID, "big").build(),
                MessageOrigin.localDevice("leaf1")).join();
        submitAll(host, 0, 3, "after");
        UpstreamLink link = link(broker, host, InstantSource.system(), quickBackoff());
        await().atMost(AWAIT).until(() -> sub.ids().size() == 4);
        assertThat(sub.received).filteredOn(r -> r.messageId().equals("big")).singleElement()
                .satisfies(r -> assertThat(r.body()).hasSize(big.length));
        assertThat(link.stats().undeliverable()).isZero();
    }
}
