package io.edgefn.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskCapTest {
    private static final BufferOptions SMALL = BufferOptions.builder().segmentBytes(4096).maxBytes(16384).build();

    @TempDir
    Path dir;

    private static byte[] numbered(int i) {
        return ByteBuffer.allocate(150).putInt(i).array();
    }

    private static int number(BufferedRecord r) {
        return ByteBuffer.wrap(r.payload()).getInt();
    }

    private static List<BufferedRecord> drain(Cursor cursor) {
        List<BufferedRecord> all = new ArrayList<>();
        List<BufferedRecord> batch;
        while (!(batch = cursor.poll(100)).isEmpty()) {
            all.addAll(batch);
        }
        return all;
    }

    @Test
    void append_whenFullUnderRejectNew_failsClearlyAndKeepsEverythingAccepted() throws Exception {
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, SMALL)) {
            buffer.cursor("$upstream");
            int accepted = 0;
            ExecutionException refused = null;
            while (refused == null) {
                try {
                    buffer.append(numbered(accepted), 4, 0).get();
                    accepted++;
                } catch (ExecutionException e) {
                    refused = e;
                }
            }
            assertThat(refused.getCause()).isInstanceOf(BufferFullException.class)
                    .hasMessageContaining("maxBytes 16384").hasMessageContaining("REJECT_NEW");
            BufferStats stats = buffer.stats();
            assertThat(stats.rejectedFull()).isEqualTo(1);
            assertThat(stats.bytesOnDisk()).isLessThanOrEqualTo(16384);
            List<BufferedRecord> all = drain(buffer.cursor("$upstream"));
            assertThat(all).hasSize(accepted);
            for (int i = 0; i < accepted; i++) {
                assertThat(number(all.get(i))).isEqualTo(i);
            }
        }
    }

    @Test
    void append_whenFullOfConsumedRecords_reclaimsTheirSegments() throws Exception {
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, SMALL)) {
            Cursor cursor = buffer.cursor("$upstream");
            for (int i = 0; i < 500; i++) {
                buffer.append(numbered(i), 4, 0).get();
                for (BufferedRecord r : cursor.poll(10)) {
                    cursor.ack(r.offset());
                }
            }
            assertThat(buffer.stats().bytesOnDisk()).isLessThanOrEqualTo(16384);
            assertThat(buffer.stats().rejectedFull()).isZero();
        }
    }

    @Test
    void append_whenFullUnderDropOldest_dropsOldestOfLowestPriorityAndCountsThem() throws Exception {
        BufferOptions options = SMALL.toBuilder().fullPolicy(FullPolicy.DROP_OLDEST).build();
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, options)) {
            buffer.cursor("$upstream");
            for (int i = 0; i < 5; i++) {
                buffer.append(numbered(1_000_000 + i), 0, 0).get();
            }
            int total = 400;
            for (int i = 0; i < total; i++) {
                buffer.append(numbered(i), OfflineBuffer.DEFAULT_PRIORITY, 0).get();
            }
            BufferStats stats = buffer.stats();
            assertThat(stats.droppedFull()).isPositive();
            assertThat(stats.bytesOnDisk()).isLessThanOrEqualTo(16384);
            List<BufferedRecord> all = drain(buffer.cursor("$upstream"));
            List<Integer> urgent = all.stream().filter(r -> r.priority() == 0).map(DiskCapTest::number).toList();
            List<Integer> telemetry = all.stream().filter(r -> r.priority() != 0).map(DiskCapTest::number).toList();
            assertThat(urgent).containsExactly(1_000_000, 1_000_001, 1_000_002, 1_000_003, 1_000_004);
            assertThat(telemetry).isNotEmpty();
            int first = telemetry.get(0);
            for (int k = 0; k < telemetry.size(); k++) {
                assertThat(telemetry.get(k)).as("the newest records survive, contiguous").isEqualTo(first + k);
            }
            assertThat(telemetry.get(telemetry.size() - 1)).isEqualTo(total - 1);
            assertThat(stats.droppedFull()).isEqualTo(first);
        }
    }
}
