package io.edgefn.benchmarks.buffer;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One contender in a JVM of its own: 8 producer threads, each keeping up to 64 appends of 256-byte
 * records in flight against the contender's store, acknowledging a record only when its future
 * completes. Prints one JSON line on stdout and exits.
 *
 * <p>Usage: {@code ContenderMain <contender> <dir> <warmup-millis> <run-millis>}: runs for the warm-up,
 * then measures appends/s, fsyncs, the largest group, the process's CPU time and bytes written
 * ({@code /proc/self/io}) over the run (extended until at least one record is acknowledged in it),
 * and closes the store. {@code ContenderMain <contender> <dir>
 * --records N} instead stops once N records are acknowledged, prints {@code {"acked": n}} and halts
 * without closing the store (a test then reopens it and counts what survived).
 */
public final class ContenderMain {

    /** Producer threads. */
    static final int PRODUCERS = 8;
    /** Appends each producer keeps in flight. */
    static final int IN_FLIGHT = 64;
    /** Bytes per record. */
    static final int RECORD = 256;

    private ContenderMain() {
    }

    /** Runs one contender; see the class comment. */
    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[2].equals("--records")) {
            long acked = fill(Contender.byId(args[0]), Path.of(args[1]), Long.parseLong(args[3]), false);
            System.out.println("{\"acked\": " + acked + "}");
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
        if (args.length != 4) {
            System.err.println("usage: ContenderMain <contender> <dir> <warmup-millis> <run-millis> | <contender> <dir> --records N");
            System.exit(2);
        }
        Map<String, Object> result = measure(Contender.byId(args[0]), Path.of(args[1]),
                Duration.ofMillis(Long.parseLong(args[2])), Duration.ofMillis(Long.parseLong(args[3])));
        System.out.println(new ObjectMapper().writeValueAsString(result));
    }

    /** The producers: each appends until {@code stop}, keeping {@link #IN_FLIGHT} in flight. */
    private static final class Producers {
        final LongAdder acked = new LongAdder();
        final LongAdder failed = new LongAdder();
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Thread> threads = new ArrayList<>();
        volatile Throwable firstFailure;

        Producers(Sink sink, long limit) {
            for (int p = 0; p < PRODUCERS; p++) {
                long producer = p;
                threads.add(Thread.ofPlatform().name("producer-" + p).start(() -> {
                    Semaphore inFlight = new Semaphore(IN_FLIGHT);
                    long seq = 0;
                    while (!stop.get()) {
                        try {
                            if (!inFlight.tryAcquire(20, TimeUnit.MILLISECONDS)) {
                                continue;
                            }
                        } catch (InterruptedException e) {
                            return;
                        }
                        byte[] record = new byte[RECORD];
                        ByteBuffer.wrap(record).putLong(producer << 48 | seq++);
                        sink.append(record).whenComplete((r, e) -> {
                            if (e == null) {
                                acked.increment();
                            } else {
                                failed.increment();
                                if (firstFailure == null) {
                                    firstFailure = e;
                                }
                            }
                            inFlight.release();
                            if (limit > 0 && acked.sum() >= limit) {
                                stop.set(true);
                            }
                        });
                    }
                    inFlight.acquireUninterruptibly(IN_FLIGHT);
                }));
            }
        }

        void stopAndJoin() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
        }
    }

    /**
     * Appends until {@code records} are acknowledged and returns how many were (every append has
     * completed by then); closes the store only if {@code close}.
     */
    static long fill(Contender contender, Path dir, long records, boolean close) throws Exception {
        Sink sink = contender.open(dir);
        Producers producers = new Producers(sink, records);
        for (Thread t : producers.threads) {
            t.join();
        }
        if (close) {
            sink.close();
        }
        if (producers.failed.sum() > 0) {
            throw new IllegalStateException(producers.failed.sum() + " appends failed", producers.firstFailure);
        }
        return producers.acked.sum();
    }

    /** Runs the warm-up and the measured interval; the result as plain JSON values. */
    static Map<String, Object> measure(Contender contender, Path dir, Duration warmup, Duration run) throws Exception {
        Sink sink = contender.open(dir);
        Producers producers = new Producers(sink, 0);
        awaitNanos(System.nanoTime() + warmup.toNanos());
        long acked0 = producers.acked.sum();
        long syncs0 = sink.syncs();
        long cpu0 = cpuNanos();
        long written0 = writeBytes();
        long stored0 = sink.storedBytes();
        sink.takeMaxGroup();
        long start = System.nanoTime();
        awaitNanos(start + run.toNanos());
        // A store slower than the interval (a first group that takes longer than a brief run) is
        // measured until it has acknowledged something, for at most a minute more.
        long latest = start + run.toNanos() + TimeUnit.MINUTES.toNanos(1);
        while (producers.acked.sum() == acked0 && System.nanoTime() < latest) {
            awaitNanos(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10));
        }
        long acked = producers.acked.sum() - acked0;
        long elapsed = System.nanoTime() - start;
        long syncs = sink.syncs() - syncs0;
        long cpu = cpuNanos() - cpu0;
        long written = writeBytes() - written0;
        long stored = sink.storedBytes() - stored0;
        long maxGroup = sink.takeMaxGroup();
        producers.stopAndJoin();
        sink.close();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("contender", contender.id());
        out.put("durable", contender.durable());
        out.put("appendsPerSec", Math.round(acked / (elapsed / 1e9)));
        out.put("records", acked);
        out.put("fsyncs", syncs);
        out.put("appendsPerFsync", syncs > 0 ? Math.round(10.0 * acked / syncs) / 10.0 : null);
        out.put("maxGroupRecords", syncs > 0 ? maxGroup : null);
        out.put("cpuMicrosPerRecord", acked > 0 && cpu >= 0 ? Math.round(cpu / 10.0 / acked) / 100.0 : null);
        out.put("bytesWrittenPerRecord", acked > 0 && written >= 0 ? Math.round(10.0 * written / acked) / 10.0 : null);
        if (stored0 >= 0 && acked > 0) {
            out.put("storedBytesPerRecord", Math.round(10.0 * stored / acked) / 10.0);
        }
        out.put("failed", producers.failed.sum());
        return out;
    }

    /** This process's CPU time (user + system, all threads), or -1 when unknown. */
    static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** Bytes this process caused to be written to storage ({@code write_bytes} of /proc/self/io), or -1. */
    static long writeBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(line.substring("write_bytes:".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Waits until a deadline: the measured interval itself, not a synchronisation. */
    private static void awaitNanos(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
