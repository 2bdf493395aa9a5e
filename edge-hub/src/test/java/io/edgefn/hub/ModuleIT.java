package io.edgefn.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An external module connects as gw/filter, receives its input from the routes and sends its output upstream. */
class ModuleIT {

    static final String DEPLOYMENT = """
            {"modules": {"filter": {"inputs": ["in"]}},
             "routes": {
               "toFilter": "FROM /messages/* WHERE NOT IS_DEFINED($connectionModuleId) INTO BrokeredEndpoint(\\"/modules/filter/inputs/in\\")",
               "fromFilter": "FROM /messages/modules/filter/outputs/* INTO $upstream"}}""";

    @TempDir
    Path dir;

    record Received(String topic, MqttMessage message) {
    }

    @Test
    void moduleReceivesDeviceMessagesOnItsInput_andItsOutputGoesUpstream() throws Exception {
        try (HubFixture f = HubFixture.start(dir, DEPLOYMENT)) {
            MqttAsyncClient module = f.connect("gw/filter");
            List<Received> received = new CopyOnWriteArrayList<>();
            module.subscribe("devices/gw/modules/filter/#", 1, (topic, m) -> received.add(new Received(topic, m)))
                    .waitForCompletion(10_000);
            MqttAsyncClient device = f.connect("dev1");

            device.publish("devices/dev1/messages/events/%24.mid=t-1&room=lab", "21.5".getBytes(StandardCharsets.UTF_8), 1, false)
                    .waitForCompletion(10_000);

            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
            Received in = received.get(0);
            assertThat(in.topic()).startsWith("devices/gw/modules/filter/inputs/in/");
            PropertyBag.Decoded bag = PropertyBag.decode(in.topic().substring("devices/gw/modules/filter/inputs/in/".length()));
            assertThat(bag.properties()).containsEntry("room", "lab");
            assertThat(bag.systemProperties()).containsEntry(SystemProperties.MESSAGE_ID, "t-1");
            assertThat(in.topic()).contains("%24.cdid=dev1");
            assertThat(new String(in.message().getPayload(), StandardCharsets.UTF_8)).isEqualTo("21.5");
            assertThat(in.message().getQos()).isEqualTo(1);

            module.publish("devices/gw/modules/filter/messages/events/%24.on=out&%24.mid=o-1", "filtered".getBytes(StandardCharsets.UTF_8), 1, false)
                    .waitForCompletion(10_000);

            List<Message> up = f.upstream();
            assertThat(up).hasSize(1);
            assertThat(up.get(0).source()).isEqualTo("/messages/modules/filter/outputs/out");
            assertThat(up.get(0).systemProperty(SystemProperties.CONNECTION_MODULE_ID)).isEqualTo("filter");
            assertThat(up.get(0).systemProperty(SystemProperties.CONNECTION_DEVICE_ID)).isEqualTo("gw");
            await().atMost(Duration.ofSeconds(5)).until(() -> f.hub.stats().moduleMessagesAcked() == 1);
        }
    }

    @Test
    void messagesSentWhileTheModuleIsAway_arriveAfterItReconnects() throws Exception {
        try (HubFixture f = HubFixture.start(dir, DEPLOYMENT)) {
            MqttAsyncClient device = f.connect("dev1");
            for (int i = 0; i < 40; i++) {
                device.publish("devices/dev1/messages/events/%24.mid=away-" + i, new byte[] {(byte) i}, 1, false)
                        .waitForCompletion(10_000);
            }

            MqttAsyncClient module = f.connect("gw/filter");
            List<Received> received = new CopyOnWriteArrayList<>();
            module.subscribe("devices/gw/modules/filter/inputs/#", 1, (topic, m) -> received.add(new Received(topic, m)))
                    .waitForCompletion(10_000);

            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 40);
            assertThat(received).extracting(r -> PropertyBag.decode(r.topic().substring(r.topic().indexOf("/in/") + 4))
                    .systemProperties().get(SystemProperties.MESSAGE_ID)).doesNotHaveDuplicates()
                    .contains("away-0", "away-39");
            await().atMost(Duration.ofSeconds(5)).until(() -> f.hub.stats().moduleMessagesAcked() == 40);

            // Away again, and back with a new connection: the next messages wait and then arrive.
            module.disconnect().waitForCompletion(10_000);
            await().atMost(Duration.ofSeconds(5)).until(() -> !f.hub.stats().clients().containsKey("gw/filter"));
            device.publish("devices/dev1/messages/events/%24.mid=later", new byte[] {1}, 1, false).waitForCompletion(10_000);
            MqttAsyncClient again = f.connect("gw/filter");
            List<Received> later = new CopyOnWriteArrayList<>();
            again.subscribe("devices/gw/modules/filter/#", 1, (topic, m) -> later.add(new Received(topic, m)))
                    .waitForCompletion(10_000);
            await().atMost(Duration.ofSeconds(10)).until(() -> later.size() == 1);
            assertThat(later.get(0).topic()).contains("%24.mid=later");
        }
    }
}
