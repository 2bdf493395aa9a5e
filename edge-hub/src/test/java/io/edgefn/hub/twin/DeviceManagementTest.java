package io.edgefn.hub.twin;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.api.Message;
import io.edgefn.testing.ManualClock;
import io.edgefn.testing.ManualScheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class DeviceManagementTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final DeviceManagement management = DeviceManagement.builder().clock(clock).scheduler(scheduler)
            .ioExecutor(Runnable::run).c2dCapacity(2).build();

    /** A channel that records what it was sent and acknowledges C2D messages when told. */
    private static final class FakeChannel implements DeviceChannel {
        final List<String> sent = new ArrayList<>();
        final List<CompletableFuture<Void>> c2dAcks = new ArrayList<>();
        boolean methods = true;
        boolean c2d = true;

        @Override
        public boolean subscribed(Feature feature) {
            return switch (feature) {
                case METHODS -> methods;
                case CLOUD_TO_DEVICE -> c2d;
                case DESIRED -> true;
            };
        }

        @Override
        public void sendDesired(byte[] patch, long version) {
            sent.add("desired " + version + " " + new String(patch, StandardCharsets.UTF_8));
        }

        @Override
        public void sendMethod(String name, String rid, byte[] payload) {
            sent.add("method " + name + " " + rid);
        }

        @Override
        public CompletionStage<Void> sendCloudToDevice(Message message) {
            sent.add("c2d " + new String(message.body(), StandardCharsets.UTF_8));
            CompletableFuture<Void> ack = new CompletableFuture<>();
            c2dAcks.add(ack);
            return ack;
        }
    }

    @Test
    void invokeMethod_unknownTarget_answers404() {
        MethodResponse r = management.invokeMethod(TwinId.device("nobody"), "reboot", null, null).join();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.payloadText()).contains("not connected");
    }

    @Test
    void invokeMethod_answeredByTheTarget_completesWithItsStatus() {
        FakeChannel ch = new FakeChannel();
        TwinId dev = TwinId.device("dev1");
        management.connected(dev, ch);

        CompletableFuture<MethodResponse> r = management.invokeMethod(dev, "reboot", "{}".getBytes(), Duration.ofSeconds(10));
        String rid = ch.sent.getFirst().split(" ")[2];
        management.methodResponse(TwinId.device("other"), rid, 500, new byte[0]); // not the one asked: ignored
        management.methodResponse(dev, rid, 200, "{\"ok\":true}".getBytes());

        assertThat(r.join().status()).isEqualTo(200);
        assertThat(r.join().payloadText()).isEqualTo("{\"ok\":true}");
    }

    @Test
    void invokeMethod_noAnswerWithinTheTimeout_answers504_clampedToFiveSeconds() {
        FakeChannel ch = new FakeChannel();
        TwinId dev = TwinId.device("dev1");
        management.connected(dev, ch);

        CompletableFuture<MethodResponse> r = management.invokeMethod(dev, "slow", null, Duration.ofSeconds(1));
        clock.advance(Duration.ofMillis(4_999));
        scheduler.runDue();
        assertThat(r).isNotDone();
        clock.advance(Duration.ofMillis(1));
        scheduler.runDue();

        assertThat(r.join().status()).isEqualTo(504);
        assertThat(management.stats().methodsTimedOut()).isEqualTo(1);
    }

    @Test
    void invokeMethod_registeredTarget_servesIt() {
        TwinId fn = TwinId.module("gw", "analytics");
        management.register(fn, new ManagedTarget() {
            @Override
            public CompletionStage<MethodResponse> invokeMethod(String name, byte[] payload) {
                return CompletableFuture.completedFuture(new MethodResponse(201, ("{\"m\":\"" + name + "\"}").getBytes()));
            }
        });

        MethodResponse r = management.invokeMethod(fn, "recalibrate", null, null).join();

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.payloadText()).isEqualTo("{\"m\":\"recalibrate\"}");
    }

    @Test
    void sendToDevice_heldWhileAway_deliveredInOrderOnReturn_oldestDroppedWhenFull() {
        TwinId dev = TwinId.device("dev1");
        CompletableFuture<Void> first = management.sendToDevice("dev1", Message.ofText("one"), Duration.ofMinutes(1));
        CompletableFuture<Void> second = management.sendToDevice("dev1", Message.ofText("two"), Duration.ofMinutes(1));
        CompletableFuture<Void> third = management.sendToDevice("dev1", Message.ofText("three"), Duration.ofMinutes(1));
        assertThat(first).isCompletedExceptionally();
        assertThat(management.stats().c2dDroppedFull()).isEqualTo(1);

        FakeChannel ch = new FakeChannel();
        management.connected(dev, ch);
        assertThat(ch.sent).containsExactly("c2d two");
        ch.c2dAcks.getFirst().complete(null);

        assertThat(second).isCompleted();
        assertThat(ch.sent).containsExactly("c2d two", "c2d three");
        ch.c2dAcks.get(1).complete(null);
        assertThat(third).isCompleted();
        assertThat(management.stats().c2dDelivered()).isEqualTo(2);
    }

    @Test
    void sendToDevice_expiresAfterItsTtl() {
        CompletableFuture<Void> msg = management.sendToDevice("dev1", Message.ofText("late"), Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(6));
        scheduler.runDue();

        assertThat(msg).isCompletedExceptionally();
        assertThat(management.stats().c2dExpired()).isEqualTo(1);
        FakeChannel ch = new FakeChannel();
        management.connected(TwinId.device("dev1"), ch);
        assertThat(ch.sent).isEmpty();
    }

    @Test
    void applyDesired_notifiesTheSubscribedConnectionWithTheVersionInside() {
        FakeChannel ch = new FakeChannel();
        TwinId dev = TwinId.device("dev1");
        management.connected(dev, ch);

        assertThat(management.applyDesired(dev, "{\"rate\":5}".getBytes(), 4).join()).isTrue();
        assertThat(management.applyDesired(dev, "{\"rate\":1}".getBytes(), 3).join()).isFalse();

        assertThat(ch.sent).containsExactly("desired 4 {\"rate\":5,\"$version\":4}");
    }

    @Test
    void patchReported_tellsTheListeners_andRefusesBadInput() {
        List<String> heard = new ArrayList<>();
        management.onReportedPatch((id, patch, version) -> heard.add(id + " " + version));

        management.patchReported(TwinId.device("dev1"), "{\"a\":1}".getBytes()).join();
        CompletableFuture<TwinDocument> bad = management.patchReported(TwinId.device("dev1"), "nope".getBytes());

        assertThat(heard).containsExactly("dev1 1");
        assertThat(bad).isCompletedExceptionally();
        assertThat(bad.handle((t, e) -> ((TwinException) (e instanceof CompletionException ? e.getCause() : e)).status()).join())
                .isEqualTo(400);
    }
}
