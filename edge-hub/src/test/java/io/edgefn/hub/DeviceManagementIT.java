package io.edgefn.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.hub.twin.MethodResponse;
import io.edgefn.hub.twin.TwinId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Twins, direct methods and cloud-to-device messages on the hub's wire, with raw Paho clients. */
class DeviceManagementIT {

    @TempDir
    Path dir;

    /** Every message a client received, as "topic payload". */
    private static final class Inbox implements MqttCallback {
        final List<String> got = new CopyOnWriteArrayList<>();
        final CountDownLatch lost = new CountDownLatch(1);

        @Override
        public void connectionLost(Throwable cause) {
            lost.countDown();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            got.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        String next(String prefix) {
            await().atMost(Duration.ofSeconds(10)).until(() -> got.stream().anyMatch(s -> s.startsWith(prefix)));
            return got.stream().filter(s -> s.startsWith(prefix)).findFirst().orElseThrow();
        }
    }

    private static Inbox subscribe(MqttAsyncClient client, String... filters) throws Exception {
        Inbox inbox = new Inbox();
        client.setCallback(inbox);
        int[] qos = new int[filters.length];
        java.util.Arrays.fill(qos, 1);
        client.subscribe(filters, qos).waitForCompletion(10_000);
        return inbox;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void twinGetAndReportedPatch_answeredFromTheGatewaysCopy_withVersions() throws Exception {
        try (HubFixture f = HubFixture.start(dir, TelemetryIT.UPSTREAM)) {
            MqttAsyncClient dev = f.connect("dev1");
            Inbox inbox = subscribe(dev, "$iothub/twin/res/#");

            dev.publish("$iothub/twin/PATCH/properties/reported/?$rid=1", utf8("{\"fw\":\"1.2\"}"), 1, false).waitForCompletion(10_000);
            assertThat(inbox.next("$iothub/twin/res/204/?$rid=1")).isEqualTo("$iothub/twin/res/204/?$rid=1&$version=1 ");
            dev.publish("$iothub/twin/GET/?$rid=2", new byte[0], 1, false).waitForCompletion(10_000);

            assertThat(inbox.next("$iothub/twin/res/200/?$rid=2")).isEqualTo(
                    "$iothub/twin/res/200/?$rid=2 {\"desired\":{\"$version\":0},\"reported\":{\"fw\":\"1.2\",\"$version\":1}}");
        }
    }

    @Test
    void badReportedPatches_answered400And413WithAReason_theClientStaysConnected() throws Exception {
        try (HubFixture f = HubFixture.start(dir, TelemetryIT.UPSTREAM)) {
            MqttAsyncClient dev = f.connect("dev1");
            Inbox inbox = subscribe(dev, "$iothub/twin/res/#");

            dev.publish("$iothub/twin/PATCH/properties/reported/?$rid=a", utf8("{\"fw\": "), 1, false).waitForCompletion(10_000);
            dev.publish("$iothub/twin/PATCH/properties/reported/?$rid=b", utf8("{\"blob\":\"" + "x".repeat(5000) + "\"}"), 1, false)
                    .waitForCompletion(10_000);

            assertThat(inbox.next("$iothub/twin/res/400/?$rid=a")).contains("\"status\":400").contains("not valid JSON");
            assertThat(inbox.next("$iothub/twin/res/413/?$rid=b")).contains("\"status\":413").contains("over the limit of 4096 bytes");
            assertThat(dev.isConnected()).isTrue();
            assertThat(f.hub.management().twin(TwinId.device("dev1")).reportedVersion()).isZero();
        }
    }

    @Test
    void anotherDevicesTwinTopic_isRefused_andThePublisherDisconnected() throws Exception {
        try (HubFixture f = HubFixture.start(dir, TelemetryIT.UPSTREAM)) {
            MqttAsyncClient mallory = f.connect("mallory");
            Inbox inbox = subscribe(mallory, "$iothub/twin/res/#");

            mallory.publish("edgefn/alice/$iothub/twin/GET/?$rid=1", new byte[0], 1, false);

            assertThat(inbox.lost.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(f.hub.stats().refused(RefusalReason.FORBIDDEN_TOPIC)).isEqualTo(1);
            assertThat(inbox.got).isEmpty();
        }
    }

    @Test
    void directMethod_deliveredToTheSubscribedDevice_andItsAnswerReturned_unknownTarget404() throws Exception {
        try (HubFixture f = HubFixture.start(dir, TelemetryIT.UPSTREAM)) {
            MqttAsyncClient dev = f.connect("dev1");
            Inbox inbox = subscribe(dev, "$iothub/methods/POST/#");

            CompletableFuture<MethodResponse> call = f.hub.management().invokeMethod(TwinId.device("dev1"), "reboot",
                    utf8("{\"delay\":1}"), Duration.ofSeconds(10));
            String request = inbox.next("$iothub/methods/POST/reboot/?$rid=");
            String rid = request.substring("$iothub/methods/POST/reboot/?$rid=".length(), request.indexOf(' '));
            assertThat(request).endsWith(" {\"delay\":1}");
            dev.publish("$iothub/methods/res/200/?$rid=" + rid, utf8("{\"rebooting\":true}"), 1, false);

            assertThat(call.get(10, TimeUnit.SECONDS)).satisfies(r -> {
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.payloadText()).isEqualTo("{\"rebooting\":true}");
            });
            assertThat(f.hub.management().invokeMethod(TwinId.device("ghost"), "reboot", null, null).get(10, TimeUnit.SECONDS)
                    .status()).isEqualTo(404);
        }
    }

    @Test
    void cloudToDevice_sentWhileDisconnected_deliveredWhenItReturns_withItsProperties() throws Exception {
        try (HubFixture f = HubFixture.start(dir, TelemetryIT.UPSTREAM)) {
            f.password("dev1"); // registered
            CompletableFuture<Void> delivered = f.hub.management().sendToDevice("dev1",
                    Message.builder().body("open valve").property("cmd", "open").build(), Duration.ofMinutes(5));
            assertThat(delivered).isNotDone();

            // The callback is in place before CONNECT: a device is subscribed to its cloud-to-device
            // messages implicitly, so the held one may arrive before any SUBSCRIBE.
            MqttAsyncClient dev = f.client("dev1");
            Inbox inbox = new Inbox();
            dev.setCallback(inbox);
            dev.connect(f.options("dev1")).waitForCompletion(10_000);

            assertThat(inbox.next("devices/dev1/messages/devicebound/")).isEqualTo("devices/dev1/messages/devicebound/%24.to=%2Fdevices%2Fdev1%2Fmessages%2FdeviceBound&cmd=open open valve");
            delivered.get(10, TimeUnit.SECONDS);
            assertThat(f.hub.management().stats().c2dDelivered()).isEqualTo(1);
        }
    }
}
