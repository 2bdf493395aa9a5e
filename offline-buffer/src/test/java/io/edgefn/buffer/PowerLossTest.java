package io.edgefn.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proves "acknowledged means on disk": producers and a consumer run against a file layer that, at a
 * random moment, loses every write not yet forced (and may keep torn pieces of them); after each
 * power cut the store is reopened and every acknowledged record must be there, intact and in order,
 * and every one the consumer had not acknowledged must be delivered to it again.
 */
class PowerLossTest {
    private static final int CYCLES = 25;
    private static final int[] PRIORITIES = {0, 4, OfflineBuffer.DEFAULT_PRIORITY};

    @ParameterizedTest
    @EnumSource(PowerLossStorage.Cut.class)
    void powerCut_atRandomMoments_losesNoAcknowledgedRecord(PowerLossStorage.Cut cut) throws Exception {
        long seed = 4242L + cut.ordinal();
        Random random = new Random(seed);
        PowerLossStorage storage = new PowerLossStorage(new Random(seed * 31));
        BufferOptions options = BufferOptions.builder().segmentBytes(8192).maxBytes(64L << 20)
                .commitWindow(Duration.ZERO).build();
        Map<Long, byte[]> acknowledged = new ConcurrentHashMap<>();
        Set<Long> consumed = ConcurrentHashMap.newKeySet();
        long totalCorrupt = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            OfflineBuffer buffer = OfflineBuffer.open(storage, options);
            verify(buffer, acknowledged, consumed, "seed " + seed + " cycle " + cycle + " cut " + cut);
            totalCorrupt += buffer.stats().droppedCorrupt();
            int target = 20 + random.nextInt(400);
            CountDownLatch enough = new CountDownLatch(target);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int producer = t;
                long producerSeed = random.nextLong();
                int c = cycle;
                threads.add(Thread.ofPlatform().start(() -> produce(buffer, producer, c, new Random(producerSeed),
                        acknowledged, enough, stop)));
            }
            Cursor upstream = buffer.cursor("$upstream");
            long consumerSeed = random.nextLong();
            threads.add(Thread.ofPlatform().start(() -> consume(upstream, new Random(consumerSeed), consumed, stop)));
            assertThat(enough.await(60, TimeUnit.SECONDS)).as("producers made progress").isTrue();
            storage = storage.powerCut(cut);
            stop.set(true);
            for (Thread thread : threads) {
                thread.join();
            }
            buffer.close();
        }
        OfflineBuffer buffer = OfflineBuffer.open(storage, options);
        verify(buffer, acknowledged, consumed, "final, seed " + seed + " cut " + cut);
        buffer.close();
        assertThat(acknowledged).hasSizeGreaterThan(CYCLES * 20);
        if (cut == PowerLossStorage.Cut.DROP_UNFORCED) {
            assertThat(totalCorrupt).as("nothing unforced survives, so nothing is damaged").isZero();
        }
    }

    private static void produce(OfflineBuffer buffer, int producer, int cycle, Random random,
                                Map<Long, byte[]> acknowledged, CountDownLatch enough, AtomicBoolean stop) {
        Semaphore inFlight = new Semaphore(16);
        for (int i = 0; !stop.get(); i++) {
            try {
                if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            byte[] payload = ("c" + cycle + "-p" + producer + "-" + i + "-" + "x".repeat(random.nextInt(300)))
                    .getBytes(StandardCharsets.UTF_8);
            int priority = PRIORITIES[random.nextInt(PRIORITIES.length)];
            CompletableFuture<Long> future = buffer.append(payload, priority, 0);
            future.whenComplete((offset, failure) -> {
                inFlight.release();
                if (failure == null) {
                    acknowledged.put(offset, payload);
                    enough.countDown();
                }
            });
        }
    }

    private static void consume(Cursor cursor, Random random, Set<Long> consumed, AtomicBoolean stop) {
        cursor.rewind();
        while (!stop.get()) {
            try {
                List<BufferedRecord> records = cursor.poll(1 + random.nextInt(50), Duration.ofMillis(20));
                List<BufferedRecord> shuffled = new ArrayList<>(records);
                java.util.Collections.shuffle(shuffled, random);
                for (BufferedRecord r : shuffled) {
                    if (random.nextInt(10) > 0) {
                        cursor.ack(r.offset());
                        consumed.add(r.offset());
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (BufferException afterPowerCut) {
                return;
            }
        }
    }

    private static void verify(OfflineBuffer buffer, Map<Long, byte[]> acknowledged, Set<Long> consumed, String where) {
        Cursor verify = buffer.cursor("verify");
        Map<Long, byte[]> found = new HashMap<>();
        long[] lastSeq = new long[11];
        java.util.Arrays.fill(lastSeq, -1);
        List<BufferedRecord> batch;
        while (!(batch = verify.poll(500)).isEmpty()) {
            for (BufferedRecord r : batch) {
                long seq = BufferedRecord.sequenceOf(r.offset());
                assertThat(seq).as("%s: FIFO within priority %d", where, r.priority()).isGreaterThan(lastSeq[r.priority()]);
                lastSeq[r.priority()] = seq;
                found.put(r.offset(), r.payload());
            }
        }
        buffer.removeCursor("verify");
        Set<Long> redelivered = ConcurrentHashMap.newKeySet();
        Cursor upstream = buffer.cursor("$upstream");
        while (!(batch = upstream.poll(500)).isEmpty()) {
            batch.forEach(r -> redelivered.add(r.offset()));
        }
        upstream.rewind();
        for (Map.Entry<Long, byte[]> e : acknowledged.entrySet()) {
            if (consumed.contains(e.getKey())) {
                continue;
            }
            assertThat(found.get(e.getKey())).as("%s: acknowledged offset %d intact", where, e.getKey())
                    .isEqualTo(e.getValue());
            assertThat(redelivered).as("%s: unconsumed offset %d delivered again", where, e.getKey()).contains(e.getKey());
        }
        for (Map.Entry<Long, byte[]> e : found.entrySet()) {
            if (acknowledged.containsKey(e.getKey())) {
                assertThat(e.getValue()).as("%s: offset %d", where, e.getKey()).isEqualTo(acknowledged.get(e.getKey()));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void append_afterTheDiskStopsAnswering_failsInsteadOfHanging() throws Exception {
        PowerLossStorage storage = new PowerLossStorage(new Random(1));
        OfflineBuffer buffer = OfflineBuffer.open(storage, BufferOptions.defaults());
        long offset = buffer.append(new byte[] {1}, 1, 0).get();
        storage.powerCut(PowerLossStorage.Cut.DROP_UNFORCED);
        assertThat(buffer.append(new byte[] {2}, 1, 0)).failsWithin(Duration.ofSeconds(10))
                .withThrowableThat().withMessageContaining("simulated power loss");
        assertThat(buffer.append(new byte[] {3}, 1, 0)).failsWithin(Duration.ofSeconds(10))
                .withThrowableThat().withMessageContaining("append not stored");
        buffer.close();
        assertThat(offset).isEqualTo(BufferedRecord.offsetOf(1, 0));
    }

    @org.junit.jupiter.api.Test
    void append_afterAFailedFsync_isRefusedUntilReopenAndNothingAcknowledgedIsLost() throws Exception {
        PowerLossStorage storage = new PowerLossStorage(new Random(2));
        OfflineBuffer buffer = OfflineBuffer.open(storage, BufferOptions.defaults());
        long kept = buffer.append(new byte[] {1}, 1, 0).get();
        storage.failForces();
        assertThat(buffer.append(new byte[] {2}, 1, 0)).failsWithin(Duration.ofSeconds(10))
                .withThrowableThat().withMessageContaining("fsync of priority 1 failed");
        assertThat(buffer.append(new byte[] {3}, 1, 0)).failsWithin(Duration.ofSeconds(10))
                .withThrowableThat().withMessageContaining("refused until the store is reopened");
        buffer.close();
        try (OfflineBuffer reopened = OfflineBuffer.open(storage.powerCut(PowerLossStorage.Cut.DROP_UNFORCED), BufferOptions.defaults())) {
            assertThat(reopened.cursor("c").poll(10)).extracting(BufferedRecord::offset).containsExactly(kept);
        }
    }
}
