package io.edgefn.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineBufferTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> payloads(List<BufferedRecord> records) {
        List<String> out = new ArrayList<>();
        for (BufferedRecord r : records) {
            out.add(new String(r.payload(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void append_completesWithOffsetReadableByCursor() throws Exception {
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.defaults())) {
            long offset = buffer.append(bytes("a"), 3, 0).get();
            Cursor cursor = buffer.cursor("$upstream");
            List<BufferedRecord> records = cursor.poll(10);
            assertThat(records).hasSize(1);
            assertThat(records.get(0).offset()).isEqualTo(offset);
            assertThat(records.get(0).priority()).isEqualTo(3);
            assertThat(payloads(records)).containsExactly("a");
            assertThat(cursor.depth()).isEqualTo(1);
            cursor.ack(offset);
            assertThat(cursor.depth()).isZero();
            assertThat(cursor.poll(10)).isEmpty();
        }
    }

    @Test
    void reopen_afterCleanClose_resumesCursorsWhereAcknowledged() throws Exception {
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.defaults())) {
            for (int i = 0; i < 5; i++) {
                buffer.append(bytes("m" + i), OfflineBuffer.DEFAULT_PRIORITY, 0).get();
            }
            Cursor cursor = buffer.cursor("c");
            List<BufferedRecord> got = cursor.poll(3);
            cursor.ack(got.get(0).offset());
            cursor.ack(got.get(1).offset());
        }
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.defaults())) {
            Cursor cursor = buffer.cursor("c");
            assertThat(cursor.depth()).isEqualTo(3);
            assertThat(payloads(cursor.poll(10))).containsExactly("m2", "m3", "m4");
            assertThat(buffer.append(bytes("m5"), OfflineBuffer.DEFAULT_PRIORITY, 0).get()).isEqualTo(
                    BufferedRecord.offsetOf(OfflineBuffer.DEFAULT_PRIORITY, 5));
        }
    }

    @Test
    void poll_returnsHigherPrioritiesFirstAndFifoWithin() throws Exception {
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.defaults())) {
            buffer.append(bytes("t1"), OfflineBuffer.DEFAULT_PRIORITY, 0).get();
            buffer.append(bytes("low1"), 9, 0).get();
            buffer.append(bytes("t2"), OfflineBuffer.DEFAULT_PRIORITY, 0).get();
            buffer.append(bytes("stop1"), 0, 0).get();
            buffer.append(bytes("stop2"), 0, 0).get();
            buffer.append(bytes("mid"), 5, 0).get();
            assertThat(payloads(buffer.cursor("c").poll(100)))
                    .containsExactly("stop1", "stop2", "mid", "low1", "t1", "t2");
        }
    }

    @Test
    void ack_outOfOrder_advancesOnlyOverContiguousPrefix() throws Exception {
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.defaults())) {
            for (int i = 0; i < 4; i++) {
                buffer.append(bytes("m" + i), 1, 0).get();
            }
            Cursor cursor = buffer.cursor("c");
            List<BufferedRecord> got = cursor.poll(4);
            cursor.ack(got.get(1).offset());
            cursor.ack(got.get(3).offset());
            assertThat(cursor.depth()).isEqualTo(2);
        }
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.defaults())) {
            // Nothing of the prefix was acknowledged: everything is redelivered (at least once, no gaps).
            assertThat(payloads(buffer.cursor("c").poll(10))).containsExactly("m0", "m1", "m2", "m3");
        }
    }

    @Test
    void ack_ofOffsetNeverPolled_throwsNamingCursorAndOffset() throws Exception {
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.defaults())) {
            long offset = buffer.append(bytes("a"), 2, 0).get();
            Cursor cursor = buffer.cursor("up");
            assertThatThrownBy(() -> cursor.ack(offset))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'up'").hasMessageContaining(String.valueOf(offset));
        }
    }

    @Test
    void rewind_handsInFlightRecordsOutAgain() throws Exception {
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.defaults())) {
            buffer.append(bytes("a"), 2, 0).get();
            buffer.append(bytes("b"), 2, 0).get();
            Cursor cursor = buffer.cursor("c");
            List<BufferedRecord> first = cursor.poll(10);
            cursor.ack(first.get(0).offset());
            cursor.rewind();
            assertThat(payloads(cursor.poll(10))).containsExactly("b");
            cursor.ack(first.get(1).offset());
            assertThat(cursor.depth()).isZero();
        }
    }

    @Test
    void pollWithWait_returnsWhenARecordArrives() throws Exception {
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.defaults())) {
            Cursor cursor = buffer.cursor("c");
            assertThat(cursor.poll(10, Duration.ofMillis(20))).isEmpty();
            Thread producer = Thread.ofVirtual().start(() -> buffer.append(bytes("late"), 4, 0).join());
            assertThat(payloads(cursor.poll(10, Duration.ofSeconds(10)))).containsExactly("late");
            producer.join();
        }
    }

    @Test
    void append_withBadArguments_throwsNamingTheProblem() throws Exception {
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.defaults())) {
            assertThatThrownBy(() -> buffer.append(bytes("x"), 11, 0)).hasMessageContaining("priority").hasMessageContaining("11");
            assertThatThrownBy(() -> buffer.append(bytes("x"), -1, 0)).hasMessageContaining("priority");
            assertThatThrownBy(() -> buffer.append(null, 1, 0)).hasMessageContaining("payload");
            assertThatThrownBy(() -> buffer.append(bytes("x"), 1, -5)).hasMessageContaining("expiresAtMillis");
        }
    }

    @Test
    void options_withSeveralBadValues_namesEachOne() {
        assertThatThrownBy(() -> BufferOptions.builder().segmentBytes(10).commitWindow(Duration.ofSeconds(-1))
                .fullPolicy(null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segmentBytes").hasMessageContaining("commitWindow").hasMessageContaining("fullPolicy");
    }

    @Test
    void append_afterClose_failsWithClearError() throws Exception {
        OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.defaults());
        buffer.close();
        assertThat(buffer.append(bytes("x"), 1, 0)).failsWithin(Duration.ofSeconds(5))
                .withThrowableThat().withMessageContaining("closed");
    }

    @Test
    void manySegments_rollAndReplayInOrder() throws Exception {
        BufferOptions options = BufferOptions.builder().segmentBytes(4096).maxBytes(1 << 24).build();
        List<String> expected = new ArrayList<>();
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, options)) {
            List<java.util.concurrent.CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                futures.add(buffer.append(bytes("record-" + i), 7, 0));
                expected.add("record-" + i);
            }
            for (var f : futures) {
                f.get();
            }
        }
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, options)) {
            Cursor cursor = buffer.cursor("c");
            List<String> got = new ArrayList<>();
            List<BufferedRecord> batch;
            while (!(batch = cursor.poll(97)).isEmpty()) {
                got.addAll(payloads(batch));
                batch.forEach(r -> cursor.ack(r.offset()));
            }
            assertThat(got).isEqualTo(expected);
            assertThat(cursor.depth()).isZero();
        }
    }

    @Test
    void close_whileProducersAppend_completesEveryFutureAndKeepsEveryAcknowledgedRecord() throws Exception {
        OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.defaults());
        List<java.util.concurrent.CompletableFuture<Long>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(4);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            producers.add(Thread.ofPlatform().start(() -> {
                started.countDown();
                for (int i = 0; i < 20_000; i++) {
                    futures.add(buffer.append(bytes("x" + i), 3, 0));
                }
            }));
        }
        started.await();
        buffer.close();
        for (Thread t : producers) {
            t.join();
        }
        java.util.Set<Long> acknowledged = new java.util.HashSet<>();
        for (var f : futures) {
            assertThat(f.handle((offset, failure) -> failure == null
                    ? "stored" : failure instanceof BufferException ? "refused: " + failure.getMessage() : "unexpected " + failure)
                    .get(10, java.util.concurrent.TimeUnit.SECONDS)).matches("stored|refused: offline buffer is closed.*");
        }
        for (var f : futures) {
            if (!f.isCompletedExceptionally()) {
                acknowledged.add(f.join());
            }
        }
        try (OfflineBuffer reopened = OfflineBuffer.open(dir, BufferOptions.defaults())) {
            java.util.Set<Long> found = new java.util.HashSet<>();
            Cursor cursor = reopened.cursor("c");
            List<BufferedRecord> batch;
            while (!(batch = cursor.poll(1000)).isEmpty()) {
                batch.forEach(r -> found.add(r.offset()));
            }
            assertThat(found).containsAll(acknowledged);
        }
    }

    @Test
    void close_fromACompletionCallback_throwsInsteadOfDeadlocking() throws Exception {
        PowerLossStorage storage = new PowerLossStorage(new java.util.Random(3));
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        try (OfflineBuffer buffer = OfflineBuffer.open(storage, BufferOptions.defaults())) {
            storage.holdForces(gate);
            java.util.concurrent.CompletableFuture<Long> append = buffer.append(bytes("a"), 1, 0);
            java.util.concurrent.CompletableFuture<Throwable> seen = new java.util.concurrent.CompletableFuture<>();
            // The writer is held before its fsync, so this callback runs on the writer thread.
            append.whenComplete((offset, failure) -> {
                try {
                    buffer.close();
                    seen.complete(null);
                } catch (IllegalStateException e) {
                    seen.complete(e);
                }
            });
            gate.countDown();
            assertThat(seen.get(10, java.util.concurrent.TimeUnit.SECONDS)).hasMessageContaining("completion callback");
        }
    }
}
