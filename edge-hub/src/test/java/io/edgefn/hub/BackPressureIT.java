package io.edgefn.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.testing.InMemoryCompiler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function that cannot keep up congests its input queue: the hub stops reading the sender's
 * socket, so its publishes go unacknowledged instead of being refused; once the function catches
 * up the hub reads again, and every message is acknowledged and processed, none lost.
 */
class BackPressureIT {

    /**
     * The system property holding the latch the function waits on: a JDK type, so the function's
     * own class loader and the test see the same object.
     */
    private static final String GATE = "edgefn.test.BackPressureIT.gate";
    /** Congested above 12 queued (three quarters), relieved at 8 (half), full at 16. */
    private static final int QUEUE_CAPACITY = 16;
    private static final int MESSAGES = 40;

    @TempDir
    Path dir;

    private final CountDownLatch gate = new CountDownLatch(1);

    @AfterEach
    void openTheGate() {
        gate.countDown(); // whatever happened, let the function's invocations end so the host can stop
        System.getProperties().remove(GATE);
    }

    @Test
    void aCongestedFunctionQueue_pausesTheSendersSocket_andAfterReliefEveryMessageIsAcknowledgedAndDelivered()
            throws Exception {
        System.getProperties().put(GATE, gate);
        Path jar = InMemoryCompiler.withClassPathProcessors().compile(Map.of("t.Slow", """
                package t;
                import io.edgefn.api.*;
                import java.util.concurrent.CountDownLatch;
                @EdgeFunction(value = "slow", maxConcurrency = 1, timeoutMillis = 60000, retries = 0)
                public class Slow {
                    @RouteTrigger(input = "in") @SendTo("out")
                    public Message onMessage(Message message) throws InterruptedException {
                        ((CountDownLatch) System.getProperties().get("%s")).await();
                        return message;
                    }
                }""".formatted(GATE))).orThrow().writeJar(dir.resolve("slow.jar"));
        String deployment = """
                {"packages": {"t": {"file": "%s"}},
                 "routes": {"in": "FROM /messages/* WHERE $connectionDeviceId = 'sensor' INTO BrokeredEndpoint(\\"/modules/slow/inputs/in\\")",
                            "up": "FROM /messages/modules/slow/outputs/* INTO $upstream"}}
                """.formatted(jar.toString().replace("\\", "\\\\"));

        try (HubFixture f = HubFixture.startWithHost(dir, deployment, host -> host.queueCapacity(QUEUE_CAPACITY))) {
            MqttConnectOptions options = f.options("sensor");
            options.setMaxInflight(MESSAGES); // all of them may be in flight: only the hub holds them back
            MqttAsyncClient sensor = f.connect("sensor", options);
            AtomicInteger acked = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            CountDownLatch answered = new CountDownLatch(MESSAGES);
            IMqttActionListener listener = new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    acked.incrementAndGet();
                    answered.countDown();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    failed.incrementAndGet();
                    answered.countDown();
                }
            };
            for (int i = 0; i < MESSAGES; i++) {
                sensor.publish("devices/sensor/messages/events/%24.mid=m-" + i, ("reading " + i).getBytes(), 1, false,
                        null, listener);
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> paused(f, "sensor"));
            int ackedWhilePaused = acked.get();
            // Paused: what was taken before the pause is acknowledged, the rest waits unread in the socket.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() ->
                    acked.get() == ackedWhilePaused && f.hub.stats().messagesAcked() == ackedWhilePaused
                            && paused(f, "sensor"));
            assertThat(ackedWhilePaused).as("acknowledged before the queue congested")
                    .isPositive().isLessThanOrEqualTo(QUEUE_CAPACITY);
            assertThat(f.hub.stats().messagesReceived()).as("nothing read past the pause")
                    .isEqualTo(ackedWhilePaused);
            assertThat(failed.get()).isZero();
            assertThat(f.hub.stats().refused().values()).as("nothing refused or dropped").containsOnly(0L);
            assertThat(sensor.isConnected()).isTrue();

            gate.countDown();

            assertThat(answered.await(15, java.util.concurrent.TimeUnit.SECONDS)).as("every publish answered").isTrue();
            assertThat(acked.get()).isEqualTo(MESSAGES);
            assertThat(failed.get()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> f.upstream().size() == MESSAGES);
            List<String> ids = f.upstream().stream().map(m -> m.systemProperty(SystemProperties.MESSAGE_ID)).toList();
            assertThat(ids).as("every message went through the function, none lost or doubled")
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, MESSAGES).mapToObj(i -> "m-" + i).toList());
            assertThat(f.upstream()).extracting(Message::bodyAsString).contains("reading 0", "reading " + (MESSAGES - 1));
            assertThat(paused(f, "sensor")).as("reading again").isFalse();
            HubStats stats = f.hub.stats();
            assertThat(stats.messagesReceived()).isEqualTo(MESSAGES);
            assertThat(stats.messagesAcked()).isEqualTo(MESSAGES);
            assertThat(stats.refused().values()).containsOnly(0L);
        }
    }

    private static boolean paused(HubFixture f, String clientId) {
        HubStats.ClientInfo info = f.hub.stats().clients().get(clientId);
        return info != null && info.paused();
    }
}
