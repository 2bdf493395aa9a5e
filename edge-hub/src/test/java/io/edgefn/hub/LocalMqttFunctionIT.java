package io.edgefn.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import io.edgefn.testing.InMemoryCompiler;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function on the gateway's own hub: its {@code @MqttTrigger} taps a real device's telemetry
 * (which still reaches the routes), and what it publishes reaches the device subscribed to its
 * cloud-to-device topic — and no other device.
 */
@Timeout(60)
class LocalMqttFunctionIT {

    private static final String GATEWAY = "gw";

    @TempDir
    Path dir;

    @Test
    void telemetryTap_andPublishToASubscribedDevice_throughARealHub() throws Exception {
        Path jar = InMemoryCompiler.withClassPathProcessors().compile(Map.of("t.Translator", """
                package t;
                import com.fasterxml.jackson.databind.JsonNode;
                import io.edgefn.api.*;
                import java.util.Map;
                @EdgeFunction("translator")
                public class Translator {
                    @MqttTrigger(value = "devices/+/messages/events/#", qos = 0)
                    public void onTelemetry(JsonNode reading, @Property(MqttTrigger.TOPIC_PROPERTY) String topic,
                            MqttPublisher hub) {
                        String device = topic.split("/")[1];
                        hub.publish("devices/" + device + "/messages/devicebound/ack", Map.of("seen", reading.get("n").asInt()), 0)
                                .toCompletableFuture().join();
                    }
                }""")).orThrow().writeJar(dir.resolve("translator.jar"));
        String json = """
                {"packages": {"t": {"file": "%s"}},
                 "routes": {"up": "FROM /messages/* INTO $upstream"}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "local mqtt", dir);
        Path data = dir.resolve("data");
        GatewayIdentity identity = GatewayIdentity.loadOrCreate(data, GATEWAY, "localhost");
        DeviceRegistry registry = DeviceRegistry.open(data);
        Vertx vertx = Vertx.vertx();
        HubTaps taps = new HubTaps();
        List<MqttAsyncClient> clients = new ArrayList<>();
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(data).gatewayId(GATEWAY).vertx(vertx)
                .localBroker(taps).build().start();
             EdgeHub hub = EdgeHub.start(vertx, HubOptions.builder().gatewayId(GATEWAY).tlsPort(-1).plainPort(0)
                             .host("127.0.0.1").build(), host, host::moduleInboxes,
                     ClientAuthenticator.of(new Authenticator(identity, registry, InstantSource.system())),
                     io.edgefn.hub.twin.DeviceManagement.builder().clock(InstantSource.system()).build(), InstantSource.system(), taps)) {
            BlockingQueue<String> dev1Got = new LinkedBlockingQueue<>();
            BlockingQueue<String> dev2Got = new LinkedBlockingQueue<>();
            MqttAsyncClient dev1 = connect(hub, identity, registry, "dev1", clients);
            MqttAsyncClient dev2 = connect(hub, identity, registry, "dev2", clients);
            dev1.subscribe("devices/dev1/messages/devicebound/#", 1,
                    (topic, m) -> dev1Got.add(topic + " " + m)).waitForCompletion(10_000);
            dev2.subscribe("devices/dev2/messages/devicebound/#", 1,
                    (topic, m) -> dev2Got.add(topic + " " + m)).waitForCompletion(10_000);

            dev1.publish("devices/dev1/messages/events/kind=reading", "{\"n\": 7}".getBytes(StandardCharsets.UTF_8), 1, false)
                    .waitForCompletion(10_000);

            assertThat(dev1Got.poll(10, TimeUnit.SECONDS)).isEqualTo("devices/dev1/messages/devicebound/ack {\"seen\":7}");
            // The tap took nothing from the routes: the reading is stored for upstream as usual.
            await().atMost(Duration.ofSeconds(10)).until(() -> upstream(host).size() == 1);
            assertThat(upstream(host).getFirst().bodyAsString()).isEqualTo("{\"n\": 7}");
            assertThat(dev2Got.poll(200, TimeUnit.MILLISECONDS)).as("dev2 never sees dev1's messages").isNull();
            // A function cannot forge IoT Hub traffic on the hub.
            assertThat(taps.publish("$iothub/twin/res/200/?$rid=1", new byte[0], 0, false).toCompletableFuture())
                    .isCompletedExceptionally();
        } finally {
            for (MqttAsyncClient c : clients) {
                c.disconnectForcibly(100, 1000);
                c.close(true);
            }
            vertx.close().await();
        }
    }

    private static List<Message> upstream(EdgeHost host) {
        List<Message> out = new ArrayList<>();
        for (BufferedRecord r : host.buffer().peek(UpstreamRecords.CURSOR, 100)) {
            out.add(UpstreamRecords.decode(r.payload()));
        }
        return out;
    }

    private static MqttAsyncClient connect(EdgeHub hub, GatewayIdentity identity, DeviceRegistry registry, String deviceId,
                                           List<MqttAsyncClient> clients) throws Exception {
        Identity id = registry.find(deviceId, null).orElseGet(() -> registry.add(deviceId, null, null));
        String token = SasToken.create(identity.hubHostName() + "/devices/" + deviceId,
                Base64.getDecoder().decode(id.primaryKey()), Instant.now().plus(Duration.ofHours(1)), null);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setUserName(identity.hubHostName() + "/" + deviceId + "/?api-version=2021-04-12");
        o.setPassword(token.toCharArray());
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + hub.plainPort(), deviceId, new MemoryPersistence());
        clients.add(client);
        client.connect(o).waitForCompletion(10_000);
        return client;
    }
}
