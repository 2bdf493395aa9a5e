package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import io.edgefn.app.gateway.Gateway;
import io.edgefn.deploy.Deployment;
import io.edgefn.testing.MosquittoBroker;
import io.edgefn.upstream.UpstreamConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Azure IoT device SDK for Java, pointed at the gateway as a user would point it: a leaf
 * device and a module, each with the connection string {@code edgefn devices add} printed
 * ({@code GatewayHostName=localhost}) and trusting the CA {@code edgefn certs export} printed. Their
 * telemetry reaches the cloud broker with its properties.
 *
 * <p>The SDK connects to port 8883 only, so this class binds the edge hub there: it is the one
 * test that does, and test classes of a module run one at a time.
 */
class AzureDeviceSdkIT {

    @TempDir
    Path dir;

    @Test
    void aLeafDeviceAndAModuleOnTheAzureSdk_sendTelemetryThatReachesTheCloudWithItsProperties() throws Exception {
        Path data = dir.resolve("data");
        String leaf = GatewayCli.addIdentity(data, "sdkgw", "thermostat-1");
        String module = GatewayCli.addIdentity(data, "sdkgw", "filter", "--module");
        String caPem = GatewayCli.run("certs", "export", "--data-dir", data.toString(), "--hostname", "localhost");
        Deployment deployment = Deployment.parse("""
                {"modules": {"filter": {"inputs": ["in"]}},
                 "routes": {"up": "FROM /messages/* INTO $upstream",
                            "toFilter": "FROM /messages WHERE NOT IS_DEFINED($connectionModuleId) INTO BrokeredEndpoint(\\"/modules/filter/inputs/in\\")"}}""".getBytes(StandardCharsets.UTF_8), "sdk deployment", dir);

        try (MosquittoBroker cloud = MosquittoBroker.start(dir.resolve("cloud"))) {
            List<String> topics = new CopyOnWriteArrayList<>();
            MqttClient app = new MqttClient(cloud.url(), "cloud-app", new MemoryPersistence());
            app.connect();
            app.subscribe("devices/#", 1, (topic, message) -> topics.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));

            try (Gateway gateway = Gateway.builder().deployment(deployment).dataDirectory(data).gatewayId("sdkgw")
                    .hostname("localhost").mqttPort(8883).httpPort(0)
                    .upstream(UpstreamConfig.parse("mqtt://127.0.0.1:" + cloud.port(), null, Map.of())).build().start()) {
                ClientOptions trustGateway = ClientOptions.builder().sslContext(GatewayCli.trusting(caPem)).build();

                DeviceClient device = new DeviceClient(leaf, IotHubClientProtocol.MQTT, trustGateway);
                device.open(false);
                Message reading = new Message("{\"temp\": 21.5}");
                reading.setMessageId("reading-1");
                reading.setProperty("unit", "celsius");
                reading.setContentType("application/json");
                device.sendEvent(reading);
                await().atMost(Duration.ofSeconds(30)).until(() -> !topics.isEmpty());
                String status = GatewayCli.run("status", "--data-dir", data.toString());
                assertThat(status).contains("edge hub: 1 client(s) connected").contains("client thermostat-1")
                        .contains("upstream: CONNECTED").contains("1 sent");
                device.close();

                ModuleClient filter = new ModuleClient(module, IotHubClientProtocol.MQTT, trustGateway);
                java.util.concurrent.CompletableFuture<Message> input = new java.util.concurrent.CompletableFuture<>();
                filter.setMessageCallback("in", (received, context) -> {
                    input.complete(received);
                    return com.microsoft.azure.sdk.iot.device.IotHubMessageResult.COMPLETE;
                }, null);
                filter.open(false);
                // The leaf's reading waited in the module's inbox; it arrives on the SDK's input "in" with its properties.
                Message routed = input.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(new String(routed.getBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"temp\": 21.5}");
                assertThat(routed.getProperty("unit")).isEqualTo("celsius");
                assertThat(routed.getMessageId()).isEqualTo("reading-1");
                Message filtered = new Message("{\"avg\": 21}");
                filtered.setMessageId("filtered-1");
                filtered.setProperty("window", "60s");
                filter.sendEvent(filtered, "averages");
                filter.close();

                await().atMost(Duration.ofSeconds(30)).until(() -> topics.size() >= 2);
            } finally {
                app.disconnect();
                app.close();
            }
            assertThat(topics).anySatisfy(t -> assertThat(t)
                    .startsWith("devices/thermostat-1/messages/events/")
                    .contains("unit=celsius").contains("%24.mid=reading-1").contains("{\"temp\": 21.5}"));
            assertThat(topics).anySatisfy(t -> assertThat(t)
                    .startsWith("devices/sdkgw/modules/filter/messages/events/")
                    .contains("window=60s").contains("%24.mid=filtered-1").contains("%24.on=averages"));
        }
    }

}
