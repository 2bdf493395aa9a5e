package io.edgefn.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConcurrentAppendTest {
    @TempDir
    Path dir;

    @Test
    void append_fromManyThreads_storesEveryRecordOnceAndKeepsEachProducersOrder() throws Exception {
        int producers = 8;
        int each = 3000;
        BufferOptions options = BufferOptions.builder().segmentBytes(64 * 1024).build();
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, options)) {
            List<List<CompletableFuture<Long>>> futures = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                List<CompletableFuture<Long>> mine = new ArrayList<>();
                futures.add(mine);
                int producer = p;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < each; i++) {
                        byte[] payload = ByteBuffer.allocate(64).putInt(producer).putInt(i).array();
                        mine.add(buffer.append(payload, producer % 3, 0));
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            Set<Long> offsets = new HashSet<>();
            for (int p = 0; p < producers; p++) {
                long last = -1;
                for (CompletableFuture<Long> f : futures.get(p)) {
                    long offset = f.get();
                    assertThat(offsets.add(offset)).as("offset %d unique", offset).isTrue();
                    assertThat(offset).as("producer %d: later appends get later offsets", p).isGreaterThan(last);
                    last = offset;
                }
            }
            Cursor cursor = buffer.cursor("c");
            int[] next = new int[producers];
            int read = 0;
            List<BufferedRecord> batch;
            while (!(batch = cursor.poll(1000)).isEmpty()) {
                for (BufferedRecord r : batch) {
                    ByteBuffer b = ByteBuffer.wrap(r.payload());
                    int producer = b.getInt();
                    int i = b.getInt();
                    assertThat(i).as("producer %d in order", producer).isEqualTo(next[producer]++);
                    read++;
                }
            }
            assertThat(read).isEqualTo(producers * each);
            assertThat(buffer.stats().fsyncs()).as("group commit shares fsyncs").isLessThan(producers * each);
        }
    }

    @Test
    void poll_whileSegmentsRollUnderIt_missesNoRecordAndCountsNoDamage() throws Exception {
        // Small segments roll every ~30 records, often in the middle of a group-commit batch, while a
        // consumer polls at the tail: a reader must never take a rolling segment's end for damage.
        int total = 5_000;
        BufferOptions options = BufferOptions.builder().segmentBytes(4096).maxBytes(1L << 30).build();
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, options)) {
            Cursor cursor = buffer.cursor("c");
            Thread producer = Thread.ofPlatform().start(() -> {
                java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(256);
                for (int i = 0; i < total; i++) {
                    inFlight.acquireUninterruptibly();
                    buffer.append(ByteBuffer.allocate(100).putInt(i).array(), 5, 0)
                            .whenComplete((offset, failure) -> inFlight.release());
                }
            });
            int expected = 0;
            while (expected < total) {
                List<BufferedRecord> batch = cursor.poll(7, java.time.Duration.ofSeconds(10));
                assertThat(batch).as("records after %d (the producer appends %d)", expected - 1, total).isNotEmpty();
                for (BufferedRecord r : batch) {
                    assertThat(ByteBuffer.wrap(r.payload()).getInt()).as("record after %d", expected - 1).isEqualTo(expected);
                    expected++;
                    cursor.ack(r.offset());
                }
            }
            producer.join();
            assertThat(buffer.stats().droppedCorrupt()).isZero();
            assertThat(cursor.depth()).isZero();
        }
    }
}
