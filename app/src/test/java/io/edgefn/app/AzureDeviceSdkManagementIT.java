package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.IotHubMessageResult;
import com.microsoft.azure.sdk.iot.device.ModuleClient;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Azure IoT device SDK for Java managed through the gateway by a "cloud application" on a plain
 * MQTT broker: twins (GET, reported patches seen upstream, desired patches from the cloud), direct
 * methods (answered, and 504 when not), cloud-to-device messages sent while the device was away,
 * and twin work while the broker is down, synced when it returns.
 *
 * <p>The SDK connects to port 8883 only; failsafe runs this module's test classes one at a time,
 * so this class and {@link AzureDeviceSdkIT} take turns binding it.
 */
class AzureDeviceSdkManagementIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** The cloud application: a Paho client on the broker that records everything under edgefn/#. */
    private static final class CloudApp implements AutoCloseable {
        final MqttClient client;
        final List<String> seen = new CopyOnWriteArrayList<>();

        CloudApp(MosquittoBroker broker) throws Exception {
            client = new MqttClient(broker.url(), "cloud-app", new MemoryPersistence());
            client.connect();
            client.subscribe("edgefn/#", 1, (topic, m) -> seen.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));
        }

        void publish(String topic, String payload) throws Exception {
            client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false);
        }

        String awaitTopic(String prefix) {
            await().atMost(WAIT).until(() -> seen.stream().anyMatch(s -> s.startsWith(prefix)));
            return seen.stream().filter(s -> s.startsWith(prefix)).reduce((a, b) -> b).orElseThrow();
        }

        @Override
        public void close() throws org.eclipse.paho.client.mqttv3.MqttException {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }

    private Gateway gateway(Path data, MosquittoBroker cloud) throws Exception {
        Deployment deployment = Deployment.parse("""
                {"modules": {"filter": {"inputs": ["in"]}},
                 "routes": {"up": "FROM /messages/* INTO $upstream"}}""".getBytes(StandardCharsets.UTF_8), "sdk deployment", dir);
        return Gateway.builder().deployment(deployment).dataDirectory(data).gatewayId("sdkgw")
                .hostname("localhost").mqttPort(8883)
                .upstream(UpstreamConfig.parse("mqtt://127.0.0.1:" + cloud.port(), null, Map.of())).build().start();
    }

    @Test
    void aLeafDevice_readsAndPatchesItsTwin_getsDesiredPatches_answersMethods_andGetsC2dSentWhileAway() throws Exception {
        Path data = dir.resolve("data");
        String leaf = GatewayCli.addIdentity(data, "sdkgw", "thermostat-1");
        ClientOptions trust = trustGateway(data);
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("cloud")); CloudApp cloud = new CloudApp(broker);
             Gateway gateway = gateway(data, broker)) {
            await().atMost(WAIT).until(() -> gateway.upstream().stats().state().name().equals("CONNECTED"));

            // Sent while the device is away: held by the gateway.
            cloud.publish("devices/thermostat-1/messages/devicebound/cmd=calibrate", "{\"offset\": 0.5}");
            await().atMost(WAIT).until(() -> gateway.management().stats().c2dWaiting() == 1);

            List<String> c2d = new CopyOnWriteArrayList<>();
            DeviceClient device = new DeviceClient(leaf, IotHubClientProtocol.MQTT, trust);
            device.setMessageCallback((message, ctx) -> {
                c2d.add(message.getProperty("cmd") + " " + new String(message.getBytes(), StandardCharsets.UTF_8));
                return IotHubMessageResult.COMPLETE;
            }, null);
            device.open(false);
            try {
                await().atMost(WAIT).until(() -> !c2d.isEmpty());
                assertThat(c2d).containsExactly("calibrate {\"offset\": 0.5}");

                List<Twin> desired = new CopyOnWriteArrayList<>();
                device.subscribeToDesiredProperties((twin, ctx) -> desired.add(twin), null);
                device.updateReportedProperties(new TwinCollection(Map.of("firmware", "2.1", "battery", 87)));
                assertThat(cloud.awaitTopic("edgefn/thermostat-1/$iothub/twin/PATCH/properties/reported/"))
                        .contains("\"firmware\":\"2.1\"").contains("\"battery\":87");

                cloud.publish("edgefn/thermostat-1/$iothub/twin/PATCH/properties/desired/?$version=3", "{\"setpoint\": 21.5}");
                await().atMost(WAIT).until(() -> desired.stream()
                        .anyMatch(t -> t.getDesiredProperties().containsKey("setpoint")));

                Twin twin = device.getTwin();
                assertThat(twin.getReportedProperties()).containsEntry("firmware", "2.1");
                assertThat(twin.getDesiredProperties().get("setpoint")).isEqualTo(21.5);
                assertThat(twin.getDesiredProperties().getVersion()).isEqualTo(3);

                CountDownLatch hung = new CountDownLatch(1);
                device.subscribeToMethods((name, payload, ctx) -> {
                    if (name.equals("hang")) {
                        try {
                            hung.await(20, TimeUnit.SECONDS); // a device that does not answer in time
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return new DirectMethodResponse(200, Map.of("did", name, "with", payload.getPayloadAsJsonString()));
                }, null);
                cloud.publish("edgefn/thermostat-1/$iothub/methods/POST/reboot/?$rid=r1", "{\"delay\": 2}");
                assertThat(cloud.awaitTopic("edgefn/thermostat-1/$iothub/methods/res/200/?$rid=r1"))
                        .contains("\"did\":\"reboot\"");

                cloud.publish("edgefn/thermostat-1/$iothub/methods/POST/hang/?$rid=r2&$timeout=5", "{}");
                assertThat(cloud.awaitTopic("edgefn/thermostat-1/$iothub/methods/res/504/?$rid=r2")).contains("did not answer");
                hung.countDown();

                cloud.publish("edgefn/nobody/$iothub/methods/POST/reboot/?$rid=r3", "{}");
                assertThat(cloud.awaitTopic("edgefn/nobody/$iothub/methods/res/404/?$rid=r3")).contains("not connected");

                cloud.publish("edgefn/thermostat-1/$iothub/twin/GET/?$rid=g1", "");
                assertThat(cloud.awaitTopic("edgefn/thermostat-1/$iothub/twin/res/200/?$rid=g1"))
                        .contains("\"setpoint\":21.5").contains("\"firmware\":\"2.1\"");
            } finally {
                device.close();
            }
        }
    }

    @Test
    void aModule_readsAndPatchesItsTwin_getsDesiredPatches_andAnswersMethods() throws Exception {
        Path data = dir.resolve("data");
        String module = GatewayCli.addIdentity(data, "sdkgw", "filter", "--module");
        ClientOptions trust = trustGateway(data);
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("cloud")); CloudApp cloud = new CloudApp(broker);
             Gateway gateway = gateway(data, broker)) {
            ModuleClient filter = new ModuleClient(module, IotHubClientProtocol.MQTT, trust);
            filter.open(false);
            try {
                await().atMost(WAIT).until(() -> gateway.upstream().stats().state().name().equals("CONNECTED"));
                List<Twin> desired = new CopyOnWriteArrayList<>();
                filter.subscribeToDesiredProperties((twin, ctx) -> desired.add(twin), null);
                filter.updateReportedProperties(new TwinCollection(Map.of("window", "60s")));
                assertThat(cloud.awaitTopic("edgefn/sdkgw/modules/filter/$iothub/twin/PATCH/properties/reported/"))
                        .contains("\"window\":\"60s\"");

                cloud.publish("edgefn/sdkgw/modules/filter/$iothub/twin/PATCH/properties/desired/?$version=1", "{\"threshold\": 7}");
                await().atMost(WAIT).until(() -> desired.stream().anyMatch(t -> t.getDesiredProperties().containsKey("threshold")));

                filter.subscribeToMethods((name, payload, ctx) -> new DirectMethodResponse(202, Map.of("accepted", name)), null);
                cloud.publish("edgefn/sdkgw/modules/filter/$iothub/methods/POST/flush/?$rid=m1", "{}");
                assertThat(cloud.awaitTopic("edgefn/sdkgw/modules/filter/$iothub/methods/res/202/?$rid=m1"))
                        .contains("\"accepted\":\"flush\"");
                assertThat(((Number) filter.getTwin().getDesiredProperties().get("threshold")).intValue()).isEqualTo(7);
            } finally {
                filter.close();
            }
        }
    }

    @Test
    void whileTheBrokerIsDown_twinReadsAndReportedPatchesWork_andAreSyncedWhenItReturns() throws Exception {
        Path data = dir.resolve("data");
        String leaf = GatewayCli.addIdentity(data, "sdkgw", "pump-7");
        ClientOptions trust = trustGateway(data);
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("cloud")); Gateway gateway = gateway(data, broker)) {
            await().atMost(WAIT).until(() -> gateway.upstream().stats().state().name().equals("CONNECTED"));
            broker.stop();
            await().atMost(WAIT).until(() -> !gateway.upstream().stats().state().name().equals("CONNECTED"));

            DeviceClient device = new DeviceClient(leaf, IotHubClientProtocol.MQTT, trust);
            device.open(false);
            try {
                device.subscribeToDesiredProperties((t, ctx) -> { }, null);
                device.updateReportedProperties(new TwinCollection(Map.of("pressure", 88)));
                device.updateReportedProperties(new TwinCollection(Map.of("state", "running")));
                Twin twin = device.getTwin();
                assertThat(twin.getReportedProperties()).containsKeys("pressure", "state");
                assertThat(twin.getReportedProperties().getVersion()).isEqualTo(2);

                broker.restart();
                try (CloudApp cloud = new CloudApp(broker)) {
                    String synced = cloud.awaitTopic("edgefn/pump-7/$iothub/twin/PATCH/properties/reported/");
                    assertThat(synced).contains("\"pressure\":88").contains("\"state\":\"running\"").contains("$version=2");
                }
            } finally {
                device.close();
            }
        }
    }

    private ClientOptions trustGateway(Path data) throws Exception {
        String caPem = GatewayCli.run("certs", "export", "--data-dir", data.toString(), "--hostname", "localhost");
        return ClientOptions.builder().sslContext(GatewayCli.trusting(caPem)).build();
    }

}
