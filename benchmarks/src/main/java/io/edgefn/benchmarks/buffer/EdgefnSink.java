package io.edgefn.benchmarks.buffer;

import io.edgefn.buffer.BufferOptions;
import io.edgefn.buffer.BufferStats;
import io.edgefn.buffer.OfflineBuffer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * edgefn's {@link OfflineBuffer} as a contender: default options (group commit, no commit window),
 * no cap that the run could reach. Its own writer groups the appends; a sampling thread reads the
 * buffer's stats every 100 µs and keeps the largest number of appends completed across exactly one
 * fsync (an estimate of the largest group: a sample may split a group or catch the tail of the one
 * before, so the caller bounds it by the records in flight). Thread-safe.
 */
final class EdgefnSink implements Sink {

    private final OfflineBuffer buffer;
    private final AtomicLong largest = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    EdgefnSink(Path dir) throws IOException {
        this.buffer = OfflineBuffer.open(dir, BufferOptions.builder().maxBytes(1L << 40).build());
        this.sampler = Thread.ofPlatform().daemon().name("group-sampler").start(this::sample);
    }

    private void sample() {
        BufferStats last = buffer.stats();
        while (running) {
            LockSupport.parkNanos(100_000);
            BufferStats now = buffer.stats();
            if (now.fsyncs() - last.fsyncs() == 1) {
                largest.accumulateAndGet(now.appends() - last.appends(), Math::max);
            }
            last = now;
        }
    }

    @Override
    public CompletableFuture<?> append(byte[] record) {
        return buffer.append(record, OfflineBuffer.DEFAULT_PRIORITY, 0);
    }

    @Override
    public long syncs() {
        return buffer.stats().fsyncs();
    }

    @Override
    public long storedBytes() {
        return buffer.stats().bytesOnDisk();
    }

    @Override
    public long takeMaxGroup() {
        return largest.getAndSet(0);
    }

    @Override
    public void close() throws Exception {
        running = false;
        sampler.join();
        buffer.close();
    }

    /** The records a fresh cursor of the store in {@code dir} would read: what survived. */
    static long count(Path dir) throws IOException {
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.builder().maxBytes(1L << 40).build())) {
            buffer.cursor("bench-count");
            return buffer.stats().cursors().stream().filter(c -> c.name().equals("bench-count"))
                    .mapToLong(BufferStats.CursorStats::depth).sum();
        }
    }
}
