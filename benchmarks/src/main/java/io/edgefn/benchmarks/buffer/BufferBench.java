package io.edgefn.benchmarks.buffer;

import io.edgefn.buffer.BufferOptions;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.buffer.Cursor;
import io.edgefn.buffer.OfflineBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code edgefn bench buffer}: durable appends per second of the offline buffer against H2 (the store
 * Eclipse Kura uses) and against the raw limit of the disk, all with the same load — 8 producer
 * threads each keeping up to 64 appends of 256 bytes in flight — and the same durability (every
 * acknowledged record fsynced); then the replay rate of a cursor and the time to reopen a large
 * store after SIGKILL. Prints progress, then one JSON line last.
 *
 * <p>Usage: {@code BufferBench [--quick] [--dir DIR]}; {@code --quick} finishes within a minute.
 */
public final class BufferBench {
    private static final int PRODUCERS = 8;
    private static final int IN_FLIGHT = 64;
    private static final int RECORD = 256;
    private static final long SEGMENT_BYTES = BufferOptions.defaults().segmentBytes();

    private static final String USAGE = """
            usage: edgefn bench buffer [--quick] [--dir DIR]
              appends/s of the offline buffer vs H2 (grouped CHECKPOINT SYNC, and per message) vs the raw
              FileChannel.write + force limit: 8 producers x 64 in flight, 256-byte records, all fsynced;
              then replay rate and recovery time after SIGKILL. The last line is JSON.
              --quick   finish within a minute (2 s per contender per round, 256 MB recovery store)
              --dir     where to put the temporary stores (default: java.io.tmpdir; use the disk to measure)""";

    private BufferBench() {
    }

    /** Runs the benchmark; see the class comment for arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child-fill")) {
            childFill(Path.of(args[1]), Long.parseLong(args[2]));
            return;
        }
        boolean quick = false;
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--dir" -> {
                    if (i + 1 == args.length) {
                        System.err.println("edgefn bench buffer: --dir needs a directory\n" + USAGE);
                        System.exit(2);
                    }
                    base = Path.of(args[++i]);
                }
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> {
                    System.err.println("edgefn bench buffer: unknown argument '" + args[i] + "'\n" + USAGE);
                    System.exit(2);
                }
            }
        }
        Duration run = quick ? Duration.ofSeconds(2) : Duration.ofSeconds(10);
        Duration warmup = quick ? Duration.ofSeconds(1) : Duration.ofSeconds(2);
        Duration h2PerMessageRun = quick ? Duration.ofSeconds(3) : Duration.ofSeconds(10);
        long recoveryBytes = quick ? 256L << 20 : 1L << 30;
        Path work = Files.createTempDirectory(base, "edgefn-bench-buffer-");
        try {
            System.out.printf(Locale.ROOT, "buffer bench in %s: %d producers x %d in flight, %d-byte records; "
                            + "each contender measured for %s after a %s warm-up, twice, interleaved; the better run counts%n",
                    work, PRODUCERS, IN_FLIGHT, RECORD, run, warmup);
            Path edgefnDir = work.resolve("edgefn");
            double edgefn = 0;
            double h2 = 0;
            double raw = 0;
            for (int round = 1; round <= 2; round++) {
                edgefn = Math.max(edgefn, measure("edgefn offline buffer (group commit), round " + round, warmup, run, () -> {
                    OfflineBuffer buffer = OfflineBuffer.open(edgefnDir, BufferOptions.builder().maxBytes(1L << 40).build());
                    return new Sink(p -> buffer.append(p, OfflineBuffer.DEFAULT_PRIORITY, 0), buffer::close);
                }));
                raw = Math.max(raw, measure("raw limit: FileChannel.write + force per group, round " + round, warmup, run,
                        () -> GroupWriter.raw(work.resolve("raw.log"))));
                h2 = Math.max(h2, measure("H2 file db, insert per message, commit + CHECKPOINT SYNC per group, round " + round,
                        warmup, run, () -> GroupWriter.h2(work.resolve("h2-grouped"), Integer.MAX_VALUE)));
            }
            double h2PerMessage = measure("H2 file db, commit + CHECKPOINT SYNC per message (as Kura)", warmup, h2PerMessageRun,
                    () -> GroupWriter.h2(work.resolve("h2-single"), 1));
            double replay = replay(edgefnDir);
            long recoveryMillis = recovery(work.resolve("recovery"), recoveryBytes);
            System.out.printf(Locale.ROOT, "{\"appendsPerSec\": %.0f, \"h2AppendsPerSec\": %.0f, "
                            + "\"h2PerMessageCommitAppendsPerSec\": %.0f, \"rawLimitAppendsPerSec\": %.0f, "
                            + "\"ratioVsH2\": %.2f, \"ratioVsRaw\": %.2f, \"replayPerSec\": %.0f, \"recoveryMillis\": %d}%n",
                    edgefn, h2, h2PerMessage, raw, edgefn / h2, edgefn / raw, replay, recoveryMillis);
        } finally {
            deleteTree(work);
        }
    }

    /** Something producers append to: a future per record, and how to close it. */
    record Sink(Function<byte[], CompletableFuture<?>> append, AutoCloseable closer) {
    }

    interface SinkFactory {
        Sink open() throws Exception;
    }

    /** Runs the producers against a sink for {@code run} after a warm-up; appends per second. */
    static double measure(String name, Duration warmup, Duration run, SinkFactory factory) throws Exception {
        Sink sink = factory.open();
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
                    sink.append().apply(payload).whenComplete((r, e) -> {
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
        long warmupEnd = System.nanoTime() + warmup.toNanos();
        awaitNanos(warmupEnd);
        long startCount = completed.sum();
        long start = System.nanoTime();
        awaitNanos(start + run.toNanos());
        long count = completed.sum() - startCount;
        long elapsed = System.nanoTime() - start;
        stop.set(true);
        for (Thread t : producers) {
            t.join();
        }
        sink.closer().close();
        double rate = count / (elapsed / 1e9);
        System.out.printf(Locale.ROOT, "  %-85s %,12.0f appends/s%s%n", name, rate,
                failed.sum() > 0 ? " (" + failed.sum() + " failed)" : "");
        return rate;
    }

    /** Waits until a deadline: this is the measured interval itself, not a synchronisation. */
    private static void awaitNanos(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** Reads the store with a fresh cursor, acknowledging everything; records per second. */
    static double replay(Path dir) throws IOException {
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.defaults())) {
            Cursor cursor = buffer.cursor("replay");
            long n = 0;
            long start = System.nanoTime();
            List<BufferedRecord> batch;
            while (!(batch = cursor.poll(4096)).isEmpty()) {
                for (BufferedRecord r : batch) {
                    cursor.ack(r.offset());
                }
                n += batch.size();
            }
            double rate = n / ((System.nanoTime() - start) / 1e9);
            System.out.printf(Locale.ROOT, "  %-85s %,12.0f records/s (%,d records)%n", "replay through a cursor, poll + ack", rate, n);
            return rate;
        }
    }

    /** Fills a store to {@code bytes} in a child JVM, SIGKILLs it while it appends, and times the reopen. */
    static long recovery(Path dir, long bytes) throws Exception {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(javaCommand, "-cp", System.getProperty("java.class.path"),
                BufferBench.class.getName(), "--child-fill", dir.toString(), String.valueOf(bytes))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        InputStream out = child.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = out.read()) >= 0 && !line.toString().equals("FILLED")) {
            if (c == '\n') {
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        if (!line.toString().equals("FILLED")) {
            throw new IllegalStateException("the fill process ended before filling " + bytes + " bytes (exit "
                    + child.waitFor() + ")");
        }
        child.destroyForcibly();
        child.waitFor();
        long size;
        try (Stream<Path> files = Files.walk(dir)) {
            size = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        long tail;
        try (Stream<Path> segments = Files.list(dir.resolve("p" + OfflineBuffer.DEFAULT_PRIORITY))) {
            tail = segments.max(Comparator.naturalOrder()).map(p -> p.toFile().length()).orElse(0L);
        }
        long start = System.nanoTime();
        long millis;
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.defaults())) {
            Cursor cursor = buffer.cursor("after-crash");
            cursor.poll(1);
            millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
        System.out.printf(Locale.ROOT, "  %-85s %,12d ms (%,d MB store, last segment %,d MB scanned, SIGKILL during appends, exit %d)%n",
                "recovery: open + first poll after SIGKILL", millis, size >> 20, tail >> 20, child.exitValue());
        return millis;
    }

    /**
     * The child of {@link #recovery}: appends 4 KiB records until the store holds {@code bytes} and its
     * last segment is mostly full (the worst case for recovery), says so, and goes on appending.
     */
    private static void childFill(Path dir, long bytes) throws Exception {
        OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.builder().maxBytes(1L << 40).build());
        byte[] payload = new byte[4096];
        Semaphore inFlight = new Semaphore(256);
        boolean told = false;
        while (true) {
            inFlight.acquire();
            buffer.append(payload, OfflineBuffer.DEFAULT_PRIORITY, 0).whenComplete((r, e) -> inFlight.release());
            long held = buffer.stats().bytesOnDisk();
            // Stop with the last segment at least three quarters full: recovery scans that segment.
            if (!told && held >= bytes && held % SEGMENT_BYTES >= SEGMENT_BYTES * 3 / 4) {
                System.out.println("FILLED");
                System.out.flush();
                told = true;
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * The comparison stores, driven like ours: producers enqueue, one writer thread takes every
     * waiting record (up to {@code maxGroup}), stores them, makes them durable once, and completes
     * their futures.
     */
    static final class GroupWriter {
        private interface Store {
            void write(List<byte[]> group) throws Exception;

            void close() throws Exception;
        }

        private record Request(byte[] payload, CompletableFuture<Void> done) {
        }

        private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
        private final Store store;
        private final int maxGroup;
        private final Thread thread;
        private volatile boolean running = true;

        private GroupWriter(Store store, int maxGroup) {
            this.store = store;
            this.maxGroup = maxGroup;
            this.thread = Thread.ofPlatform().name("group-writer").start(this::loop);
        }

        private void loop() {
            List<Request> group = new ArrayList<>();
            List<byte[]> payloads = new ArrayList<>();
            while (running || !queue.isEmpty()) {
                try {
                    Request first = queue.poll(20, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    group.add(first);
                    queue.drainTo(group, maxGroup - 1);
                } catch (InterruptedException e) {
                    return;
                }
                group.forEach(r -> payloads.add(r.payload()));
                try {
                    store.write(payloads);
                    group.forEach(r -> r.done().complete(null));
                } catch (Exception e) {
                    group.forEach(r -> r.done().completeExceptionally(e));
                }
                group.clear();
                payloads.clear();
            }
        }

        private Sink sink() {
            return new Sink(p -> {
                CompletableFuture<Void> f = new CompletableFuture<>();
                queue.add(new Request(p, f));
                return f;
            }, () -> {
                running = false;
                thread.join();
                store.close();
            });
        }

        /** H2 file database: one INSERT per message, a commit and {@code CHECKPOINT SYNC} per group. */
        static Sink h2(Path dir, int maxGroup) throws SQLException, IOException {
            Files.createDirectories(dir);
            Connection conn = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(), "sa", "");
            try (Statement s = conn.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS msg(id BIGINT AUTO_INCREMENT PRIMARY KEY, priority INT, "
                        + "enqueued BIGINT, expires BIGINT, payload VARBINARY(1024))");
            }
            conn.setAutoCommit(false);
            PreparedStatement insert = conn.prepareStatement("INSERT INTO msg(priority, enqueued, expires, payload) VALUES (?, ?, ?, ?)");
            Statement sync = conn.createStatement();
            return new GroupWriter(new Store() {
                @Override
                public void write(List<byte[]> group) throws SQLException {
                    long now = System.currentTimeMillis();
                    for (byte[] p : group) {
                        insert.setInt(1, 10);
                        insert.setLong(2, now);
                        insert.setLong(3, 0);
                        insert.setBytes(4, p);
                        insert.executeUpdate();
                    }
                    conn.commit();
                    sync.execute("CHECKPOINT SYNC");
                }

                @Override
                public void close() throws SQLException {
                    conn.close();
                }
            }, maxGroup).sink();
        }

        /** The raw limit: the same framed bytes appended with one {@code FileChannel.write} and one {@code force} per group. */
        static Sink raw(Path file) throws IOException {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            ByteBuffer[] buf = {ByteBuffer.allocateDirect(1 << 20)};
            int frame = RECORD + 37;
            return new GroupWriter(new Store() {
                @Override
                public void write(List<byte[]> group) throws IOException {
                    if (buf[0].capacity() < group.size() * frame) {
                        buf[0] = ByteBuffer.allocateDirect(group.size() * frame * 2);
                    }
                    ByteBuffer b = buf[0].clear();
                    for (byte[] p : group) {
                        b.putInt(frame).put(p).position(b.position() + frame - 4 - p.length);
                    }
                    b.flip();
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    ch.force(false);
                }

                @Override
                public void close() throws IOException {
                    ch.close();
                }
            }, Integer.MAX_VALUE).sink();
        }
    }
}
