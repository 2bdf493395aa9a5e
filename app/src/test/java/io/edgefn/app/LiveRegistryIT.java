package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgefn.app.gateway.Gateway;
import io.edgefn.deploy.Deployment;
import io.edgefn.hub.identity.ConnectionString;
import io.edgefn.hub.identity.SasToken;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgefn devices add} and {@code remove} beside a running gateway: the hub takes the new
 * identity and refuses the removed one without a restart.
 */
class LiveRegistryIT {

    @TempDir
    Path dir;

    @Test
    void aDeviceAddedWhileTheGatewayRuns_connects_andOnceRemoved_isRefused() throws Exception {
        Path data = dir.resolve("data");
        Deployment deployment = Deployment.parse("{\"routes\": {\"up\": \"FROM /messages/* INTO $upstream\"}}"
                .getBytes(StandardCharsets.UTF_8), "routes only", dir);
        try (Gateway gateway = Gateway.builder().deployment(deployment).dataDirectory(data).gatewayId("livegw")
                .hostname("localhost").mqttPort(-1).mqttPlainPort(0).build().start()) {
            Map<String, String> late = ConnectionString.parse(GatewayCli.run("devices", "add", "late-1", "--data-dir", data.toString()));

            // The registry is re-read at most every 200 ms: the new identity is taken within that.
            MqttClient client = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> connect(late, gateway.mqttPlainPort()), c -> c.isConnected());
            client.publish("devices/late-1/messages/events/", "hello".getBytes(StandardCharsets.UTF_8), 1, false);
            client.disconnect();
            client.close();
            assertThat(gateway.host().stats().upstreamHeld()).isEqualTo(1);

            GatewayCli.run("devices", "remove", "late-1", "--data-dir", data.toString());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(() -> connect(late, gateway.mqttPlainPort()).disconnect())
                    .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode())
                            .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED)));
        }
    }

    private static MqttClient connect(Map<String, String> device, int port) throws MqttException {
        String id = device.get("DeviceId");
        String hub = device.get("HostName");
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(hub + "/" + id + "/?api-version=2021-04-12");
        options.setPassword(SasToken.create(hub + "/devices/" + id, Base64.getDecoder().decode(device.get("SharedAccessKey")),
                Instant.now().plus(Duration.ofHours(1)), null).toCharArray());
        client.connect(options);
        return client;
    }
}
