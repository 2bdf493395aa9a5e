package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.deploy.Deployment;
import io.edgefn.testing.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code @MqttTrigger} and {@code MqttPublisher} on an external broker — a real Mosquitto, real
 * Paho clients on both sides: a wildcard subscription with the topic and a JSON body bound,
 * answered through a QoS 1 publish; the connection coming back by itself when the broker is
 * stopped and started again; a QoS 1 message left unacknowledged while the function's queue is
 * full and delivered to the next host; and deployments refused at load.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class MqttTriggerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private MosquittoBroker broker;
    private Path bridgeJar;
    private Path gateJar;

    @BeforeAll
    void start() {
        broker = MosquittoBroker.start(dir.resolve("mosquitto"));
        bridgeJar = TestPackages.build(dir, "bridge", Map.of("t.Bridge", """
                package t;
                import io.edgefn.api.*;
                import java.util.Map;
                @EdgeFunction(value = "bridge", timeoutMillis = 10_000)
                public class Bridge {
                    public record Reading(String sensor, double celsius) { }

                    @MqttTrigger(value = {"plant/+/temperature", "legacy/#"}, broker = "plant")
                    public void onReading(Reading reading, @Property(MqttTrigger.TOPIC_PROPERTY) String topic,
                            @MqttOutput(broker = "plant") MqttPublisher plant) {
                        // Waits for the broker's PUBACK: the stage completes at QoS 1's acknowledgement.
                        plant.publish("results/" + reading.sensor(), Map.of("topic", topic, "fahrenheit",
                                reading.celsius() * 9 / 5 + 32), 1).toCompletableFuture().join();
                    }
                }"""));
        gateJar = TestPackages.build(dir, "gate", Map.of("t.Gate", """
                package t;
                import io.edgefn.api.*;
                import java.nio.file.*;
                @EdgeFunction(value = "gate", maxConcurrency = 1, timeoutMillis = 60_000, retries = 0)
                public class Gate {
                    @MqttTrigger(value = "gate/#", broker = "plant")
                    public void onMessage(String body, FunctionContext context,
                            @MqttOutput(broker = "plant") MqttPublisher plant) throws InterruptedException {
                        Path open = Path.of(context.settings().string("gateFile").orElseThrow());
                        while (!Files.exists(open)) {
                            Thread.sleep(5); // the test opens the gate; a stopping host interrupts this
                        }
                        plant.publish("done/" + body, body).toCompletableFuture().join();
                    }
                }"""));
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    private Deployment deployment(Path jar, String brokers, String settings) {
        String json = """
                {"packages": {"p": {"file": "%s", "settings": %s}},
                 "routes": {},
                 "brokers": %s}
                """.formatted(jar.toString().replace("\\", "\\\\"), settings, brokers);
        return Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "mqtt deployment", dir);
    }

    private String plant() {
        return "{\"plant\": {\"uri\": \"" + mqttUri() + "\"}}";
    }

    private String mqttUri() {
        return "mqtt://127.0.0.1:" + broker.port();
    }

    /** A test client subscribed to {@code filter}, putting what arrives into {@code into}. */
    private MqttClient client(String id, String filter, BlockingQueue<MqttMessageSeen> into) throws MqttException {
        MqttClient client = new MqttClient(broker.url(), id, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        client.connect(options);
        if (filter != null) {
            client.subscribe(filter, 1, (topic, message) -> into.add(new MqttMessageSeen(topic, message.toString())));
        }
        return client;
    }

    private record MqttMessageSeen(String topic, String payload) {
    }

    private static void publish(MqttClient client, String topic, String payload) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        client.publish(topic, message);
    }

    @Test
    void externalBroker_wildcardTriggerWithTopicAndJson_answersThroughQos1Publish_andAgainAfterTheBrokerRestarts()
            throws Exception {
        BlockingQueue<MqttMessageSeen> results = new LinkedBlockingQueue<>();
        try (EdgeHost host = EdgeHost.builder().deployment(deployment(bridgeJar, plant(), "{}")).gatewayId("gw-bridge")
                .dataDirectory(dir.resolve("data-bridge")).build().start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> connected(host));
            MqttClient device = client("device", "results/#", results);
            publish(device, "plant/line-1/temperature", "{\"sensor\": \"t1\", \"celsius\": 100}");

            MqttMessageSeen result = results.poll(10, TimeUnit.SECONDS);
            assertThat(result).isNotNull();
            assertThat(result.topic()).isEqualTo("results/t1");
            JsonNode body = JSON.readTree(result.payload());
            assertThat(body.get("topic").asText()).isEqualTo("plant/line-1/temperature");
            assertThat(body.get("fahrenheit").asDouble()).isEqualTo(212.0);
            device.disconnect();
            device.close();

            // The broker goes away and comes back empty (no persistence): the host reconnects
            // with its backoff and subscribes again, and messages flow as before.
            broker.restart();
            await().atMost(Duration.ofSeconds(20)).until(() -> connects(host) >= 2 && connected(host));
            MqttClient again = client("device-again", "results/#", results);
            try {
                publish(again, "legacy/a/b", "{\"sensor\": \"t2\", \"celsius\": 0}");
                MqttMessageSeen second = results.poll(10, TimeUnit.SECONDS);
                assertThat(second).isNotNull();
                assertThat(second.topic()).isEqualTo("results/t2");
                assertThat(JSON.readTree(second.payload()).get("topic").asText()).isEqualTo("legacy/a/b");
            } finally {
                again.disconnect();
                again.close();
            }
        }
    }

    @Test
    void qos1MessageFindingTheQueueFull_isNotAcknowledged_andTheNextHostGetsIt() throws Exception {
        Path gate = dir.resolve("gate-open");
        String settings = "{\"gateFile\": \"" + gate.toString().replace("\\", "\\\\") + "\"}";
        BlockingQueue<MqttMessageSeen> done = new LinkedBlockingQueue<>();
        MqttClient sender = client("sender", "done/#", done);
        try {
            // One running (held at the gate), one queued (capacity 1): the third finds the queue full.
            try (EdgeHost first = EdgeHost.builder().deployment(deployment(gateJar, plant(), settings)).gatewayId("gw-gate")
                    .dataDirectory(dir.resolve("data-gate-1")).queueCapacity(1).drainTimeout(Duration.ofMillis(100))
                    .build().start()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> connected(first));
                publish(sender, "gate/1", "m1");
                publish(sender, "gate/2", "m2");
                publish(sender, "gate/3", "m3");
                await().atMost(Duration.ofSeconds(10)).until(() -> received(first) == 3);
                // m1 runs, m2 is queued (the queue has room again once m1 leaves it), m3 waits unacknowledged.
                await().atMost(Duration.ofSeconds(10)).until(() -> first.stats().functions().get("gate").queued() == 1);
            }
            // The first host took m1 and m2 (acknowledged once queued; lost with its memory, as
            // routed messages are) but never m3: the broker kept it for the persistent session
            // gw-gate-plant and gives it to the next host under that client id.
            Files.createFile(gate);
            try (EdgeHost second = EdgeHost.builder().deployment(deployment(gateJar, plant(), settings)).gatewayId("gw-gate")
                    .dataDirectory(dir.resolve("data-gate-2")).build().start()) {
                MqttMessageSeen seen = done.poll(15, TimeUnit.SECONDS);
                assertThat(seen).isNotNull();
                assertThat(seen.topic()).isEqualTo("done/m3");
                assertThat(done.poll(300, TimeUnit.MILLISECONDS)).as("m1 and m2 were acknowledged to the first host").isNull();
            }
        } finally {
            sender.disconnect();
            sender.close();
        }
    }

    @Test
    void deployments_needingWhatTheHostLacks_areRefusedAtLoad() throws Exception {
        Path local = TestPackages.build(dir, "local", Map.of("t.Local", """
                package t;
                import io.edgefn.api.*;
                @EdgeFunction("tap")
                public class Local {
                    @MqttTrigger("devices/+/messages/events/#")
                    public void onTelemetry(byte[] payload) { }
                }"""));
        HostException noHub = catchThrowableOfType(HostException.class, () -> EdgeHost.builder()
                .deployment(deployment(local, "{}", "{}")).dataDirectory(dir.resolve("data-local")).build().start());
        assertThat(noHub.getMessage()).contains("function 'tap', method onTelemetry, uses the gateway's own MQTT hub")
                .contains("this host runs without one");

        HostException unknown = catchThrowableOfType(HostException.class, () -> EdgeHost.builder()
                .deployment(deployment(bridgeJar, "{\"plnt\": {\"uri\": \"mqtt://127.0.0.1:1\"}}", "{}"))
                .dataDirectory(dir.resolve("data-unknown")).build().start());
        assertThat(unknown.getMessage()).contains("function 'bridge', method onReading, uses MQTT broker 'plant', which"
                + " the deployment does not declare under 'brokers' (it declares [plnt]); did you mean 'plnt'?");

        Path auth = Files.writeString(dir.resolve("plant.auth"), "username=edge\npassword=secret\n");
        Files.setPosixFilePermissions(auth, PosixFilePermissions.fromString("rw-r--r--"));
        HostException open = catchThrowableOfType(HostException.class, () -> EdgeHost.builder()
                .deployment(deployment(bridgeJar, "{\"plant\": {\"uri\": \"" + mqttUri() + "\", \"auth\": \"plant.auth\"}}",
                        "{}")).dataDirectory(dir.resolve("data-auth")).build().start());
        assertThat(open.getMessage()).contains("brokers.plant: auth file " + auth + " is readable by others (rw-r--r--)");
    }

    @Test
    void brokerRequiringALogin_isReachedWithTheOwnerOnlyAuthFile() throws Exception {
        try (MosquittoBroker locked = MosquittoBroker.builder().passwordUser("edge", "s3cret").start(dir.resolve("locked"))) {
            Path auth = Files.writeString(dir.resolve("locked.auth"), "# the plant's login\nusername=edge\npassword=s3cret\n");
            Files.setPosixFilePermissions(auth, PosixFilePermissions.fromString("rw-------"));
            String brokers = "{\"plant\": {\"uri\": \"mqtt://127.0.0.1:" + locked.port() + "\", \"auth\": \"locked.auth\"}}";
            try (EdgeHost host = EdgeHost.builder().deployment(deployment(bridgeJar, brokers, "{}")).gatewayId("gw-locked")
                    .dataDirectory(dir.resolve("data-locked")).build().start()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> connected(host));
            }
            Files.writeString(auth, "username=edge\npassword=wrong\n");
            try (EdgeHost host = EdgeHost.builder().deployment(deployment(bridgeJar, brokers, "{}")).gatewayId("gw-locked")
                    .dataDirectory(dir.resolve("data-locked-2")).build().start()) {
                // Refused logins are retried with backoff, and say why.
                await().atMost(Duration.ofSeconds(10)).until(() -> plantStatus(host).get("lastProblem") != null);
                assertThat(connected(host)).isFalse();
                assertThat((String) plantStatus(host).get("lastProblem")).startsWith("cannot connect:");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> plantStatus(EdgeHost host) {
        return (Map<String, Object>) host.mqttStatus().get("plant");
    }

    /** Connected and subscribed at least once (a connection counts once its SUBACK came). */
    private static boolean connected(EdgeHost host) {
        return Boolean.TRUE.equals(plantStatus(host).get("connected")) && connects(host) >= 1;
    }

    private static long connects(EdgeHost host) {
        return (Long) plantStatus(host).get("connects");
    }

    private static long received(EdgeHost host) {
        return (Long) plantStatus(host).get("received");
    }
}
