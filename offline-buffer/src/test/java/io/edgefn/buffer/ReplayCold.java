package io.edgefn.buffer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * A developer's harness, not a test: the cold replay of {@code edgefn bench buffer} (a fresh
 * buffer opened on a store whose segments are out of the page cache, drained with
 * {@code poll(4096)} and one {@code ack} per record). {@code fill DIR N} writes N records of 256 B;
 * {@code drain DIR} copies DIR aside, takes the copy out of the page cache ({@code sync}, then
 * {@code dd iflag=nocache count=0} per file, which asks the kernel to drop the file's pages) and times
 * the drain. Run it under JFR or {@code strace -c} to see where the time goes; the published numbers
 * come from {@code edgefn bench buffer}.
 *
 * <p>Usage: {@code java -cp offline-buffer/target/classes:offline-buffer/target/test-classes
 * io.edgefn.buffer.ReplayCold fill DIR records} or {@code ... drain DIR [warm]} ({@code warm}: the page
 * cache is left as the copy left it, to see the CPU's share). Single-threaded main.
 */
public final class ReplayCold {
    private ReplayCold() {
    }

    /** {@code fill DIR N} or {@code drain DIR [warm]}. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        if (args[0].equals("fill")) {
            long n = Long.parseLong(args[2]);
            Semaphore inFlight = new Semaphore(512);
            byte[] payload = new byte[256];
            try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.builder().maxBytes(1L << 40).build())) {
                for (long i = 0; i < n; i++) {
                    inFlight.acquire();
                    CompletableFuture<Long> f = buffer.append(payload, OfflineBuffer.DEFAULT_PRIORITY, 0);
                    f.whenComplete((v, e) -> inFlight.release());
                }
                inFlight.acquire(512);
            }
            return;
        }
        Path run = dir.resolveSibling(dir.getFileName() + "-run");
        exec("rm", "-rf", run.toString());
        exec("cp", "-r", dir.toString(), run.toString());
        exec("sync");
        List<Path> files;
        try (Stream<Path> s = Files.walk(run)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        long bytes = 0;
        boolean warm = args.length > 2 && args[2].equals("warm");
        for (Path f : files) {
            if (!warm) {
                exec("dd", "if=" + f, "iflag=nocache", "count=0", "status=none");
            }
            bytes += Files.size(f);
        }
        long start = System.nanoTime();
        long n = 0;
        long opened;
        try (OfflineBuffer buffer = OfflineBuffer.open(run, BufferOptions.builder().maxBytes(1L << 40).build())) {
            opened = System.nanoTime();
            Cursor cursor = buffer.cursor("replay");
            List<BufferedRecord> batch;
            while (!(batch = cursor.poll(4096)).isEmpty()) {
                for (BufferedRecord r : batch) {
                    cursor.ack(r.offset());
                }
                n += batch.size();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "replay cold: %,d records in %.2f s = %,.0f records/s, %.1f MB/s (open %.0f ms)%n",
                n, seconds, n / seconds, bytes / seconds / 1e6, (opened - start) / 1e6);
        exec("rm", "-rf", run.toString());
    }

    private static void exec(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
