package io.edgefn.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client may publish and subscribe only on its own topics; a trespasser is cut off, others are not. */
class AuthorizationIT {

    @TempDir
    Path dir;

    @Test
    void publishToAnotherDevicesTopic_disconnectsThePublisher_storesNothing_andLeavesOthersAlone() throws Exception {
        try (HubFixture f = HubFixture.start(dir, TelemetryIT.UPSTREAM)) {
            MqttAsyncClient mallory = f.connect("mallory");
            MqttAsyncClient alice = f.connect("alice");
            CountDownLatch lost = new CountDownLatch(1);
            mallory.setCallback(new LostLatch(lost));

            mallory.publish("devices/alice/messages/events/%24.mid=forged", "forged".getBytes(StandardCharsets.UTF_8), 1, false);

            assertThat(lost.await(10, TimeUnit.SECONDS)).as("mallory is disconnected").isTrue();
            assertThat(f.hub.stats().refused(RefusalReason.FORBIDDEN_TOPIC)).isEqualTo(1);
            assertThat(f.logLines(Level.WARN)).anyMatch(l -> l.contains("'mallory'") && l.contains("devices/alice/messages/events"));
            assertThat(alice.isConnected()).isTrue();
            alice.publish("devices/alice/messages/events/%24.mid=real", "real".getBytes(StandardCharsets.UTF_8), 1, false)
                    .waitForCompletion(10_000);
            assertThat(f.upstream()).extracting(m -> m.systemProperty("messageId")).containsExactly("real");
        }
    }

    @Test
    void subscriptionToAForeignTopic_isRefusedWith0x80_andTheOthersGranted() throws Exception {
        try (HubFixture f = HubFixture.start(dir, TelemetryIT.UPSTREAM)) {
            MqttAsyncClient device = f.connect("dev1");

            IMqttToken token = device.subscribe(new String[] {"devices/dev1/messages/devicebound/#",
                    "devices/dev2/messages/devicebound/#", "$iothub/twin/res/#", "#"}, new int[] {1, 1, 0, 1});
            token.waitForCompletion(10_000);

            assertThat(token.getGrantedQos()).containsExactly(1, 0x80, 0, 0x80);
            assertThat(device.isConnected()).isTrue();
            assertThat(f.logLines(Level.WARN)).anyMatch(l -> l.contains("devices/dev2/messages/devicebound/#"));
        }
    }

    @Test
    void wrongKey_isRefusedWithConnack5_andLoggedWithoutTheSignature() throws Exception {
        try (HubFixture f = HubFixture.start(dir, TelemetryIT.UPSTREAM)) {
            MqttAsyncClient device = f.client("dev1");
            var options = f.options("dev1");
            // A well-formed token for dev1, signed with a key that is not dev1's.
            String forged = io.edgefn.hub.identity.SasToken.create(f.identity.hubHostName() + "/devices/dev1", new byte[32],
                    java.time.Instant.now().plus(Duration.ofHours(1)), null);
            options.setPassword(forged.toCharArray());
            String signature = io.edgefn.hub.identity.SasToken.parse(forged).signature();

            try {
                device.connect(options).waitForCompletion(10_000);
                throw new AssertionError("connected with a wrong key");
            } catch (MqttException e) {
                assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
            }
            assertThat(f.logLines(Level.INFO)).noneMatch(l -> l.contains(signature));
            assertThat(f.hub.stats().refused(RefusalReason.NOT_AUTHORIZED)).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> f.hub.stats().openConnections() == 0);
        }
    }

    /** Counts a latch down when the connection is lost. */
    record LostLatch(CountDownLatch lost) implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
            lost.countDown();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }
}
