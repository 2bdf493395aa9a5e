package io.edgefn.buffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * A developer's harness, not a test: the benchmark's load (8 producer threads × 64 appends of 256 B
 * in flight, every ack after the fsync covering it) against a real {@link OfflineBuffer} in a
 * directory on the real disk, reporting acked appends/s, appends per fsync and bytes per fsync — the
 * group size to hand to {@code fio --bs}. Used to find where the time goes (run it under JFR); the
 * published numbers come from {@code edgefn bench buffer}.
 *
 * <p>Usage: {@code java -cp offline-buffer/target/classes:offline-buffer/target/test-classes
 * io.edgefn.buffer.AppendThroughput DIR [seconds] [rounds]}. Single-threaded main.
 */
public final class AppendThroughput {
    private static final int PRODUCERS = 8;
    private static final int IN_FLIGHT = 64;
    private static final int RECORD = 256;

    private AppendThroughput() {
    }

    /** Runs {@code rounds} measurements of {@code seconds} each (after a 2 s warm-up) in {@code DIR}. */
    public static void main(String[] args) throws Exception {
        Path base = Path.of(args[0]);
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Files.createDirectories(base);
        for (int round = 0; round < rounds; round++) {
            Path dir = Files.createTempDirectory(base, "append-");
            try {
                run(dir, seconds);
            } finally {
                try (Stream<Path> s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static void run(Path dir, int seconds) throws Exception {
        OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.builder().maxBytes(1L << 40).build());
        LongAdder completed = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            byte[] payload = new byte[RECORD];
            payload[0] = (byte) p;
            producers.add(Thread.ofPlatform().name("producer-" + p).start(() -> {
                Semaphore inFlight = new Semaphore(IN_FLIGHT);
                while (!stop.get()) {
                    try {
                        if (!inFlight.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    buffer.append(payload, OfflineBuffer.DEFAULT_PRIORITY, 0).whenComplete((r, e) -> {
                        inFlight.release();
                        if (e == null) {
                            completed.increment();
                        } else {
                            failed.increment();
                        }
                    });
                }
                inFlight.acquireUninterruptibly(IN_FLIGHT);
            }));
        }
        long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        sleepUntil(warm);
        BufferStats s0 = buffer.stats();
        long c0 = completed.sum();
        long t0 = System.nanoTime();
        sleepUntil(t0 + TimeUnit.SECONDS.toNanos(seconds));
        BufferStats s1 = buffer.stats();
        long c1 = completed.sum();
        long t1 = System.nanoTime();
        stop.set(true);
        for (Thread t : producers) {
            t.join();
        }
        buffer.close();
        double rate = (c1 - c0) / ((t1 - t0) / 1e9);
        long fsyncs = s1.fsyncs() - s0.fsyncs();
        long appends = s1.appends() - s0.appends();
        double perFsync = fsyncs == 0 ? 0 : (double) appends / fsyncs;
        System.out.printf(Locale.ROOT, "appends/s %,.0f  fsyncs/s %,.0f  appends/fsync %.1f  bytes/fsync %,.0f%s%n",
                rate, fsyncs / ((t1 - t0) / 1e9), perFsync, perFsync * (RECORD + 37),
                failed.sum() > 0 ? "  FAILED " + failed.sum() : "");
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
