package io.edgefn.benchmarks.buffer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.buffer.BufferOptions;
import io.edgefn.buffer.BufferStats;
import io.edgefn.buffer.Cursor;
import io.edgefn.buffer.OfflineBuffer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The two JVMs of the recovery measurement.
 *
 * <p>{@code RecoveryChild fill <dir> <bytes>}: 8 producers × 64 in flight append 256-byte records
 * to a buffer in {@code dir} for ever; every 20 ms it prints {@code acked N} (N appends completed,
 * each therefore fsynced), and once the store holds {@code bytes} with its last segment at least three
 * quarters full (the most recovery has to scan) it prints {@code filled N}, and goes on appending
 * until it is killed.
 *
 * <p>{@code RecoveryChild open <dir>}: opens the store, takes a cursor and polls one record — ready
 * to serve — and prints one JSON line: {@code openMillis} (from just before {@code open} to ready),
 * {@code records} (what a fresh cursor holds), {@code droppedCorrupt} and {@code bytesOnDisk}.
 */
public final class RecoveryChild {

    private RecoveryChild() {
    }

    /** See the class comment. */
    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("fill")) {
            fill(Path.of(args[1]), Long.parseLong(args[2]));
        } else if (args.length == 2 && args[0].equals("open")) {
            open(Path.of(args[1]));
        } else {
            System.err.println("usage: RecoveryChild fill <dir> <bytes> | open <dir>");
            System.exit(2);
        }
    }

    private static void fill(Path dir, long bytes) throws Exception {
        BufferOptions options = BufferOptions.builder().maxBytes(1L << 40).build();
        long segment = options.segmentBytes();
        OfflineBuffer buffer = OfflineBuffer.open(dir, options);
        LongAdder acked = new LongAdder();
        for (int p = 0; p < ContenderMain.PRODUCERS; p++) {
            long producer = p;
            Thread.ofPlatform().daemon().name("producer-" + p).start(() -> {
                Semaphore inFlight = new Semaphore(ContenderMain.IN_FLIGHT);
                long seq = 0;
                while (true) {
                    inFlight.acquireUninterruptibly();
                    byte[] record = new byte[ContenderMain.RECORD];
                    ByteBuffer.wrap(record).putLong(producer << 48 | seq++);
                    buffer.append(record, OfflineBuffer.DEFAULT_PRIORITY, 0).whenComplete((r, e) -> {
                        if (e == null) {
                            acked.increment();
                        }
                        inFlight.release();
                    });
                }
            });
        }
        boolean told = false;
        while (true) {
            TimeUnit.MILLISECONDS.sleep(20);
            long n = acked.sum();
            long held = buffer.stats().bytesOnDisk();
            if (!told && held >= bytes && held % segment >= segment * 3 / 4) {
                System.out.println("filled " + n);
                told = true;
            } else {
                System.out.println("acked " + n);
            }
            System.out.flush();
        }
    }

    private static void open(Path dir) throws Exception {
        long start = System.nanoTime();
        Map<String, Object> out = new LinkedHashMap<>();
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.builder().maxBytes(1L << 40).build())) {
            Cursor cursor = buffer.cursor("after-crash");
            cursor.poll(1);
            long ready = System.nanoTime();
            BufferStats stats = buffer.stats();
            out.put("openMillis", Math.round((ready - start) / 1e4) / 100.0);
            out.put("records", stats.cursors().stream().filter(c -> c.name().equals("after-crash"))
                    .mapToLong(BufferStats.CursorStats::depth).sum());
            out.put("droppedCorrupt", stats.droppedCorrupt());
            out.put("bytesOnDisk", stats.bytesOnDisk());
        }
        System.out.println(new ObjectMapper().writeValueAsString(out));
    }
}
