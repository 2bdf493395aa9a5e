package io.edgefn.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TtlTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void poll_skipsExpiredRecordsAndCountsThem() throws Exception {
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(1_000));
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.builder().clock(clock).build())) {
            buffer.append(bytes("a"), 3, 2_000).get();
            buffer.append(bytes("b"), 3, 0).get();
            buffer.append(bytes("c"), 3, 1_500).get();
            Cursor cursor = buffer.cursor("c");
            assertThat(cursor.depth()).isEqualTo(3);
            clock.set(Instant.ofEpochMilli(1_600));
            List<BufferedRecord> got = cursor.poll(10);
            assertThat(got).extracting(r -> new String(r.payload(), StandardCharsets.UTF_8)).containsExactly("a", "b");
            assertThat(got.get(0).enqueuedAtMillis()).isEqualTo(1_000);
            assertThat(got.get(0).expiresAtMillis()).isEqualTo(2_000);
            assertThat(buffer.stats().droppedTtl()).isEqualTo(1);
            got.forEach(r -> cursor.ack(r.offset()));
            assertThat(cursor.depth()).isZero();
        }
    }

    @Test
    void poll_afterEverythingExpired_returnsNothingAndAdvances() throws Exception {
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(1_000));
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.builder().clock(clock).build())) {
            for (int i = 0; i < 10; i++) {
                buffer.append(bytes("x" + i), OfflineBuffer.DEFAULT_PRIORITY, 1_100).get();
            }
            Cursor cursor = buffer.cursor("c");
            clock.set(Instant.ofEpochMilli(5_000));
            assertThat(cursor.poll(100)).isEmpty();
            assertThat(cursor.depth()).isZero();
            assertThat(buffer.stats().droppedTtl()).isEqualTo(10);
        }
    }

    @Test
    void append_whenFullOfExpiredRecords_reclaimsWhollyExpiredSegments() throws Exception {
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(1_000));
        BufferOptions options = BufferOptions.builder().clock(clock).segmentBytes(4096).maxBytes(16384).build();
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, options)) {
            buffer.cursor("slow");
            int accepted = 0;
            while (true) {
                try {
                    buffer.append(new byte[200], 2, 2_000).get();
                    accepted++;
                } catch (ExecutionException full) {
                    assertThat(full.getCause()).isInstanceOf(BufferFullException.class);
                    break;
                }
            }
            assertThat(accepted).isGreaterThan(40);
            clock.set(Instant.ofEpochMilli(3_000));
            assertThat(buffer.append(new byte[200], 2, 0).get()).isNotNull();
            BufferStats stats = buffer.stats();
            assertThat(stats.droppedTtl()).isPositive();
            assertThat(stats.bytesOnDisk()).isLessThanOrEqualTo(16384);
        }
    }

    @Test
    void stats_reportsOldestAgePerCursorAndPriority() throws Exception {
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(10_000));
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.builder().clock(clock).build())) {
            buffer.append(bytes("old"), 1, 0).get();
            clock.set(Instant.ofEpochMilli(14_000));
            buffer.append(bytes("new"), 8, 0).get();
            buffer.cursor("$upstream");
            clock.set(Instant.ofEpochMilli(15_000));
            BufferStats stats = buffer.stats();
            assertThat(stats.appends()).isEqualTo(2);
            assertThat(stats.fsyncs()).isPositive();
            assertThat(stats.bytesOnDisk()).isPositive();
            BufferStats.CursorStats upstream = stats.cursors().get(0);
            assertThat(upstream.name()).isEqualTo("$upstream");
            assertThat(upstream.depth()).isEqualTo(2);
            assertThat(upstream.oldestAgeMillis()).isEqualTo(5_000);
            assertThat(upstream.priorities()).containsExactly(
                    new BufferStats.PriorityStats(1, 1, 5_000), new BufferStats.PriorityStats(8, 1, 1_000));
        }
    }
}
