package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.api.Message;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.routes.RouteSpec;
import io.edgefn.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryModuleInboxTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-30T12:00:00Z"));

    private static Message msg(String body) {
        return Message.builder().body(body).build();
    }

    private static List<String> bodies(List<BufferedRecord> records) {
        return records.stream().map(r -> MessageCodec.decode(r.payload()).bodyAsString()).toList();
    }

    @Test
    void poll_handsOutTheBestPriorityFirst_andFifoWithinAPriority() {
        MemoryModuleInbox inbox = new MemoryModuleInbox("filter", "in", 100, 0, clock);
        inbox.accept(msg("t1"), RouteSpec.DEFAULT_PRIORITY, 0, Patience.NONE);
        inbox.accept(msg("alarm"), 0, 0, Patience.NONE);
        inbox.accept(msg("t2"), RouteSpec.DEFAULT_PRIORITY, 0, Patience.NONE);
        inbox.accept(msg("warn"), 5, 0, Patience.NONE);

        assertThat(bodies(inbox.poll(10))).containsExactly("alarm", "warn", "t1", "t2");
        assertThat(inbox.address()).isEqualTo("/modules/filter/inputs/in");
    }

    @Test
    void accept_whenFull_dropsTheOldestOfTheLowestPriority_andCountsIt() {
        MemoryModuleInbox inbox = new MemoryModuleInbox("filter", "in", 3, 0, clock);
        inbox.accept(msg("alarm"), 0, 0, Patience.NONE);
        inbox.accept(msg("t1"), RouteSpec.DEFAULT_PRIORITY, 0, Patience.NONE);
        inbox.accept(msg("t2"), RouteSpec.DEFAULT_PRIORITY, 0, Patience.NONE);

        CompletableFuture<Void> taken = inbox.accept(msg("t3"), RouteSpec.DEFAULT_PRIORITY, 0, Patience.NONE);

        assertThat(taken).isCompleted();
        assertThat(inbox.dropped()).isEqualTo(1);
        assertThat(bodies(inbox.poll(10))).containsExactly("alarm", "t2", "t3");
    }

    @Test
    void poll_skipsAndCountsExpiredMessages_byTheRouteTtlOrTheDefault() {
        MemoryModuleInbox inbox = new MemoryModuleInbox("filter", "in", 10, 60, clock);
        inbox.accept(msg("short"), 1, 5, Patience.NONE);
        inbox.accept(msg("default"), 1, 0, Patience.NONE);
        clock.advance(Duration.ofSeconds(10));

        assertThat(bodies(inbox.poll(10))).containsExactly("default");
        assertThat(inbox.expired()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(60));
        inbox.rewind();
        assertThat(inbox.poll(10)).isEmpty();
        assertThat(inbox.expired()).isEqualTo(2);
    }

    @Test
    void rewind_handsTheUnacknowledgedOnesOutAgain_inTheirOrder() {
        MemoryModuleInbox inbox = new MemoryModuleInbox("filter", "in", 10, 0, clock);
        for (int i = 0; i < 4; i++) {
            inbox.accept(msg("m" + i), 3, 0, Patience.NONE);
        }
        List<BufferedRecord> first = inbox.poll(3);
        inbox.ack(first.get(1).offset());
        assertThat(inbox.depth()).isEqualTo(3);

        inbox.rewind();

        assertThat(bodies(inbox.poll(10))).containsExactly("m0", "m2", "m3");
    }

    @Test
    void pollWithWait_returnsWhenAMessageArrives() throws Exception {
        MemoryModuleInbox inbox = new MemoryModuleInbox("filter", "in", 10, 0, clock);
        CountDownLatch polling = new CountDownLatch(1);
        CompletableFuture<List<BufferedRecord>> polled = CompletableFuture.supplyAsync(() -> {
            polling.countDown();
            try {
                return inbox.poll(5, Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(polling.await(10, TimeUnit.SECONDS)).isTrue();

        inbox.accept(msg("late"), 1, 0, Patience.NONE);

        assertThat(bodies(polled.get(10, TimeUnit.SECONDS))).containsExactly("late");
    }
}
