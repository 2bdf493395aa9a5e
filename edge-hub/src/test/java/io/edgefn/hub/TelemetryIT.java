package io.edgefn.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Devices publish telemetry over MQTT; the hub hands it to the host, which stores it for upstream before the PUBACK. */
class TelemetryIT {

    static final String UPSTREAM = """
            {"routes": {"up": "FROM /messages/* INTO $upstream"}}""";

    @TempDir
    Path dir;

    @Test
    void fiveHundredQos1Messages_areAcked_onlyOnceStoredForUpstream_withTheConnectionTheGatewaySaw() throws Exception {
        try (HubFixture f = HubFixture.start(dir, UPSTREAM)) {
            MqttAsyncClient device = f.connect("dev1");
            int acked = HubFixture.publishQos1(device, 500,
                    i -> "devices/dev1/messages/events/%24.mid=m-" + i + "&%24.cdid=spoof&%24.ct=application%2Fjson"
                            + "&seq=" + i + "&site=North%20Hall",
                    i -> ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            assertThat(acked).isEqualTo(500);

            // Every acknowledged message is in the offline buffer: acked means stored.
            Map<String, Message> stored = f.upstream().stream()
                    .collect(Collectors.toMap(m -> m.systemProperty(SystemProperties.MESSAGE_ID), Function.identity()));
            assertThat(stored).hasSize(500);
            for (int i = 0; i < 500; i++) {
                Message m = stored.get("m-" + i);
                assertThat(m).as("message m-%d", i).isNotNull();
                assertThat(m.bodyAsString()).isEqualTo("{\"n\":" + i + "}");
                assertThat(m.properties()).containsEntry("seq", String.valueOf(i)).containsEntry("site", "North Hall");
                assertThat(m.systemProperty(SystemProperties.CONTENT_TYPE)).isEqualTo("application/json");
                assertThat(m.systemProperty(SystemProperties.CONNECTION_DEVICE_ID)).isEqualTo("dev1");
                assertThat(m.systemProperty(SystemProperties.CONNECTION_AUTH_METHOD)).isEqualTo(io.edgefn.hub.identity.AuthResult.DEVICE_SAS);
                assertThat(m.systemProperty(SystemProperties.CONNECTION_MODULE_ID)).isNull();
            }
            HubStats stats = f.hub.stats();
            assertThat(stats.messagesAcked()).isEqualTo(500);
            assertThat(stats.messagesReceived()).isEqualTo(500);
            assertThat(stats.clients()).containsOnlyKeys("dev1");
            assertThat(stats.clients().get("dev1").authMethod()).isEqualTo(io.edgefn.hub.identity.AuthResult.DEVICE_SAS);
        }
    }

    @Test
    void qos0Message_withoutAPropertyBag_isStoredToo() throws Exception {
        try (HubFixture f = HubFixture.start(dir, UPSTREAM)) {
            MqttAsyncClient device = f.connect("dev2");
            device.publish("devices/dev2/messages/events", "plain".getBytes(StandardCharsets.UTF_8), 0, false);

            await().atMost(Duration.ofSeconds(10)).until(() -> f.upstream().size() == 1);
            Message m = f.upstream().get(0);
            assertThat(m.bodyAsString()).isEqualTo("plain");
            assertThat(m.systemProperty(SystemProperties.CONNECTION_DEVICE_ID)).isEqualTo("dev2");
            assertThat(m.systemProperty(SystemProperties.MESSAGE_ID)).as("the host stamps an id").isNotBlank();
        }
    }

    @Test
    void twinRequestsAndMethodResponses_areAcknowledged_andNotRouted() throws Exception {
        try (HubFixture f = HubFixture.start(dir, UPSTREAM)) {
            MqttAsyncClient device = f.connect("dev3");
            device.publish("$iothub/twin/GET/?$rid=1", new byte[0], 1, false).waitForCompletion(10_000);
            device.publish("$iothub/methods/res/200/?$rid=2", "{}".getBytes(StandardCharsets.UTF_8), 1, false)
                    .waitForCompletion(10_000);

            assertThat(device.isConnected()).isTrue();
            assertThat(f.upstream()).isEmpty();
        }
    }
}
