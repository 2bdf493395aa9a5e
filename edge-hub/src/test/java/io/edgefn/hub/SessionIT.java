package io.edgefn.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Persistent sessions and a second connection with the same client id, as IoT Hub handles them. */
class SessionIT {

    @TempDir
    Path dir;

    @Test
    void persistentSession_isPresentOnReconnect_andACleanOneDiscardsIt() throws Exception {
        try (HubFixture f = HubFixture.start(dir, TelemetryIT.UPSTREAM)) {
            MqttConnectOptions persistent = f.options("dev1");
            persistent.setCleanSession(false);
            MqttAsyncClient first = f.client("dev1");
            IMqttToken connect = first.connect(persistent);
            connect.waitForCompletion(10_000);
            assertThat(connect.getSessionPresent()).isFalse();
            first.subscribe("devices/dev1/messages/devicebound/#", 1).waitForCompletion(10_000);
            first.disconnect().waitForCompletion(10_000);

            MqttAsyncClient second = f.client("dev1");
            IMqttToken again = second.connect(persistent);
            again.waitForCompletion(10_000);
            assertThat(again.getSessionPresent()).isTrue();
            second.disconnect().waitForCompletion(10_000);

            MqttAsyncClient clean = f.client("dev1");
            IMqttToken fresh = clean.connect(f.options("dev1"));
            fresh.waitForCompletion(10_000);
            assertThat(fresh.getSessionPresent()).isFalse();
        }
    }

    @Test
    void sameClientIdConnectingAgain_takesOver_andTheOldConnectionIsClosed() throws Exception {
        try (HubFixture f = HubFixture.start(dir, TelemetryIT.UPSTREAM)) {
            MqttAsyncClient old = f.connect("dev1");
            CountDownLatch lost = new CountDownLatch(1);
            old.setCallback(new AuthorizationIT.LostLatch(lost));

            MqttAsyncClient taker = f.connect("dev1");

            assertThat(lost.await(10, TimeUnit.SECONDS)).as("the old connection is closed").isTrue();
            assertThat(taker.isConnected()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> f.hub.stats().openConnections() == 1);
            assertThat(f.hub.stats().clients()).containsOnlyKeys("dev1");
            taker.publish("devices/dev1/messages/events/", new byte[] {1}, 1, false).waitForCompletion(10_000);
        }
    }
}
