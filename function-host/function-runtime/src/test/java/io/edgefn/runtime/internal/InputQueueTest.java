package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.api.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InputQueueTest {

    private static Message m(String text) {
        return Message.ofText(text);
    }

    @Test
    void poll_higherPriorityFirstAndFifoWithinAPriority() throws Exception {
        InputQueue q = new InputQueue(10);
        q.offer(m("telemetry-1"), "in", 2_000_000_000, Duration.ZERO);
        q.offer(m("telemetry-2"), "in", 2_000_000_000, Duration.ZERO);
        q.offer(m("shutdown"), "in", 0, Duration.ZERO);
        q.offer(m("warning-1"), "in", 5, Duration.ZERO);
        q.offer(m("warning-2"), "in", 5, Duration.ZERO);
        List<String> order = new ArrayList<>();
        for (InputQueue.Entry e; (e = q.poll(Duration.ZERO)) != null; ) {
            order.add(e.message().bodyAsString());
        }
        assertThat(order).containsExactly("shutdown", "warning-1", "warning-2", "telemetry-1", "telemetry-2");
    }

    @Test
    void offer_fullQueueWaitsForRoomInsteadOfDropping() throws Exception {
        InputQueue q = new InputQueue(1);
        assertThat(q.offer(m("a"), "in", 0, Duration.ZERO)).isTrue();
        assertThat(q.offer(m("b"), "in", 0, Duration.ZERO)).as("full, no wait").isFalse();
        CountDownLatch offered = new CountDownLatch(1);
        Thread producer = Thread.ofVirtual().start(() -> {
            try {
                if (q.offer(m("b"), "in", 0, Duration.ofSeconds(30))) {
                    offered.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(offered.await(50, TimeUnit.MILLISECONDS)).as("still blocked while full").isFalse();
        assertThat(q.poll(Duration.ZERO).message().bodyAsString()).isEqualTo("a");
        assertThat(offered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(q.poll(Duration.ZERO).message().bodyAsString()).isEqualTo("b");
        producer.join();
    }

    @Test
    void close_refusesOffersButKeepsWhatIsQueued() throws Exception {
        InputQueue q = new InputQueue(4);
        q.offer(m("kept"), "in", 0, Duration.ZERO);
        q.close();
        assertThat(q.offer(m("late"), "in", 0, Duration.ofSeconds(1))).isFalse();
        assertThat(q.poll(Duration.ZERO).message().bodyAsString()).isEqualTo("kept");
        assertThat(q.poll(Duration.ofSeconds(1))).isNull();
    }
}
