package io.edgefn.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits and bytes that are not what they should be: each refused with one log line, the hub and others unaffected. */
class BadInputIT {

    @TempDir
    Path dir;

    @Test
    void payloadOverTheLimit_disconnectsWithoutPuback_andThePayloadAtTheLimitIsTaken() throws Exception {
        try (HubFixture f = HubFixture.start(dir, TelemetryIT.UPSTREAM)) {
            MqttAsyncClient device = f.connect("dev1");
            device.publish("devices/dev1/messages/events/", new byte[HubOptions.DEFAULT_MAX_MESSAGE_BYTES], 1, false)
                    .waitForCompletion(10_000);
            CountDownLatch lost = new CountDownLatch(1);
            device.setCallback(new AuthorizationIT.LostLatch(lost));

            device.publish("devices/dev1/messages/events/", new byte[HubOptions.DEFAULT_MAX_MESSAGE_BYTES + 1], 1, false);

            assertThat(lost.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(f.hub.stats().refused(RefusalReason.PAYLOAD_TOO_LARGE)).isEqualTo(1);
            assertThat(f.hub.stats().messagesAcked()).isEqualTo(1);
            assertThat(f.upstream()).hasSize(1);
            assertThat(f.logLines(Level.WARN)).anyMatch(l -> l.contains("262144 bytes is over the limit of 262143"));
        }
    }

    @Test
    void malformedPropertyBag_disconnectsNamingThePair() throws Exception {
        try (HubFixture f = HubFixture.start(dir, TelemetryIT.UPSTREAM)) {
            MqttAsyncClient device = f.connect("dev1");
            CountDownLatch lost = new CountDownLatch(1);
            device.setCallback(new AuthorizationIT.LostLatch(lost));

            device.publish("devices/dev1/messages/events/ok=1&bad=%zz", new byte[] {1}, 1, false);

            assertThat(lost.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(f.hub.stats().refused(RefusalReason.MALFORMED_PROPERTY_BAG)).isEqualTo(1);
            assertThat(f.logLines(Level.WARN)).anyMatch(l -> l.contains("'dev1'") && l.contains("bad=%zz"));
            assertThat(f.upstream()).isEmpty();
        }
    }

    @Test
    void garbageBytes_closeTheConnection_withOneWarningNamingTheRemote() throws Exception {
        try (HubFixture f = HubFixture.start(dir, TelemetryIT.UPSTREAM)) {
            MqttAsyncClient bystander = f.connect("bystander");
            byte[][] garbage = {
                    "GET / HTTP/1.1\r\nHost: gateway\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                    {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x00, 0x01},
                    {0x10, 0x05, 0x00, 0x04, 'J', 'U', 'N', 'K', 0x00, 0x00, 0x00, 0x00}};
            for (byte[] bytes : garbage) {
                try (Socket socket = new Socket("127.0.0.1", f.hub.plainPort())) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write(bytes);
                    socket.getOutputStream().flush();
                    assertThat(readUntilClosed(socket.getInputStream())).as("the hub closes the connection").isTrue();
                }
            }

            await().atMost(Duration.ofSeconds(5))
                    .until(() -> f.hub.stats().refused(RefusalReason.PROTOCOL_ERROR) == garbage.length);
            assertThat(f.logLines(Level.WARN).stream().filter(l -> l.contains("not valid MQTT"))).hasSize(garbage.length)
                    .allMatch(l -> l.contains("127.0.0.1:"));
            assertThat(bystander.isConnected()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> f.hub.stats().openConnections() == 1);
        }
    }

    @Test
    void connectionThatNeverSendsConnect_isClosedAfterTheTimeout() throws Exception {
        try (HubFixture f = HubFixture.start(dir, TelemetryIT.UPSTREAM, b -> b.connectTimeout(Duration.ofMillis(300)))) {
            try (Socket socket = new Socket("127.0.0.1", f.hub.plainPort())) {
                socket.setSoTimeout(10_000);
                assertThat(readUntilClosed(socket.getInputStream())).isTrue();
            }
            assertThat(f.hub.stats().refused(RefusalReason.CONNECT_TIMEOUT)).isEqualTo(1);
            assertThat(f.logLines(Level.WARN)).anyMatch(l -> l.contains("no CONNECT within 300 ms"));
        }
    }

    @Test
    void twoHundredConnectionsOpenedAndDropped_leaveNoClientBehind() throws Exception {
        try (HubFixture f = HubFixture.start(dir, TelemetryIT.UPSTREAM)) {
            // Raw sockets speaking just enough MQTT: Paho takes ~300 ms to tear a client down.
            for (int i = 0; i < 200; i++) {
                String id = "cycler" + (i % 7);
                try (Socket s = new Socket("127.0.0.1", f.hub.plainPort())) {
                    s.setSoTimeout(10_000);
                    switch (i % 3) {
                        case 0 -> { // CONNECT, CONNACK, DISCONNECT
                            s.getOutputStream().write(RawMqtt.connect(id, f.password(id)));
                            assertThat(RawMqtt.readConnackCode(s.getInputStream())).isZero();
                            s.getOutputStream().write(RawMqtt.DISCONNECT);
                        }
                        case 1 -> { // CONNECT, CONNACK, then TCP close without DISCONNECT
                            s.getOutputStream().write(RawMqtt.connect(id, f.password(id)));
                            assertThat(RawMqtt.readConnackCode(s.getInputStream())).isZero();
                        }
                        default -> s.getOutputStream().write(new byte[] {0x10}); // half a CONNECT, then gone
                    }
                }
            }

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(f.hub.stats().clientsConnected()).isZero();
                assertThat(f.hub.stats().openConnections()).isZero();
            });
            MqttAsyncClient after = f.connect("after");
            assertThat(after.isConnected()).isTrue();
        }
    }

    @Test
    void oneClientMoreThanMaxClients_isRefusedWithServerUnavailable_untilOneLeaves() throws Exception {
        try (HubFixture f = HubFixture.start(dir, TelemetryIT.UPSTREAM, b -> b.maxClients(3))) {
            MqttAsyncClient first = f.connect("c1");
            f.connect("c2");
            f.connect("c3");

            assertThatThrownBy(() -> f.connect("c4")).isInstanceOfSatisfying(MqttException.class,
                    e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_BROKER_UNAVAILABLE));
            assertThat(f.hub.stats().refused(RefusalReason.SERVER_FULL)).isEqualTo(1);
            assertThat(f.logLines(Level.WARN)).anyMatch(l -> l.contains("'c4'") && l.contains("maxClients"));

            first.disconnect().waitForCompletion(10_000);
            await().atMost(Duration.ofSeconds(5)).until(() -> f.hub.stats().clientsConnected() == 2);
            assertThat(f.connect("c4").isConnected()).isTrue();
        }
    }

    /** Reads until the peer closes; false if it stays open for the socket's timeout. */
    private static boolean readUntilClosed(InputStream in) {
        try {
            byte[] buf = new byte[1024];
            while (in.read(buf) >= 0) {
                // drain whatever the hub answers (a CONNACK refusal, nothing)
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.io.IOException e) {
            return true; // reset by the hub
        }
    }
}
