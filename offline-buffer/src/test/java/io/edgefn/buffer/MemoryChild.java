package io.edgefn.buffer;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/**
 * The process {@link BoundedMemoryIT} runs under a small heap: buffers N records of 256 bytes from 8
 * producers, reports the heap in use after a GC with all of them buffered, replays and acknowledges
 * them all through a cursor, and reports again. Arguments: store directory, N.
 */
public final class MemoryChild {
    private MemoryChild() {
    }

    /** Runs once and exits 0, or dies of OutOfMemoryError. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long records = Long.parseLong(args[1]);
        BufferOptions options = BufferOptions.builder().maxBytes(1L << 40).build();
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, options)) {
            Cursor cursor = buffer.cursor("$upstream");
            int producers = 8;
            CountDownLatch done = new CountDownLatch(producers);
            byte[] payload = new byte[256];
            for (int p = 0; p < producers; p++) {
                long share = records / producers + (p < records % producers ? 1 : 0);
                Thread.ofPlatform().start(() -> {
                    Semaphore inFlight = new Semaphore(64);
                    for (long i = 0; i < share; i++) {
                        inFlight.acquireUninterruptibly();
                        buffer.append(payload, OfflineBuffer.DEFAULT_PRIORITY, 0).whenComplete((o, e) -> {
                            inFlight.release();
                            if (e != null) {
                                e.printStackTrace();
                                System.exit(3);
                            }
                        });
                    }
                    inFlight.acquireUninterruptibly(64);
                    done.countDown();
                });
            }
            done.await();
            System.out.println("BUFFERED " + cursor.depth() + " HEAP " + usedAfterGc());
            long read = 0;
            List<BufferedRecord> batch;
            while (!(batch = cursor.poll(4096)).isEmpty()) {
                for (BufferedRecord r : batch) {
                    cursor.ack(r.offset());
                }
                read += batch.size();
            }
            System.out.println("REPLAYED " + read + " HEAP " + usedAfterGc());
        }
    }

    private static long usedAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
