package io.edgefn.buffer;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * The process {@link CrashRecoveryIT} kills: producers keep appending (each up to 64 in flight) and a
 * consumer acknowledges; every completed append is printed as {@code A <offset> <run> <producer> <i>}
 * (only after the buffer confirmed it) and every consumer acknowledgement as {@code C <offset>}
 * (written to the pipe before the acknowledgement is made).
 * Arguments: store directory, run number.
 */
public final class CrashChild {
    private CrashChild() {
    }

    /** The payload of append {@code i} of {@code producer} in {@code run}: deterministic, 64 to 511 bytes. */
    static byte[] payload(int run, int producer, long i) {
        String head = run + ":" + producer + ":" + i + ":";
        int length = 64 + (int) ((i * 7919 + producer * 104729L + run) % 448);
        StringBuilder sb = new StringBuilder(head);
        while (sb.length() < length) {
            sb.append((char) ('a' + (sb.length() * 31 + i) % 26));
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Runs until killed. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int run = Integer.parseInt(args[1]);
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false, StandardCharsets.US_ASCII);
        OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.builder().segmentBytes(1 << 20).maxBytes(1L << 32).build());
        Thread printer = Thread.ofPlatform().daemon().start(() -> {
            try {
                while (true) {
                    String line = lines.take();
                    synchronized (out) {
                        out.println(line);
                        if (lines.isEmpty()) {
                            out.flush();
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        out.println("READY");
        out.flush();
        for (int p = 0; p < 4; p++) {
            int producer = p;
            int priority = p == 0 ? 0 : p == 1 ? 6 : OfflineBuffer.DEFAULT_PRIORITY;
            Thread.ofPlatform().start(() -> {
                Semaphore inFlight = new Semaphore(64);
                for (long i = 0; ; i++) {
                    inFlight.acquireUninterruptibly();
                    long n = i;
                    buffer.append(payload(run, producer, n), priority, 0).whenComplete((offset, failure) -> {
                        inFlight.release();
                        if (failure == null) {
                            lines.add("A " + offset + " " + run + " " + producer + " " + n);
                        }
                    });
                }
            });
        }
        Cursor cursor = buffer.cursor("$upstream");
        while (printer.isAlive()) {
            List<BufferedRecord> records = cursor.poll(100, Duration.ofMillis(50));
            for (int k = records.size() - 1; k >= 0; k--) {
                long offset = records.get(k).offset();
                // Tell the parent before acknowledging, and make sure the line left the process:
                // a SIGKILL after the ack must not hide an acknowledgement from the parent.
                synchronized (out) {
                    out.println("C " + offset);
                    out.flush();
                }
                cursor.ack(offset);
            }
        }
    }
}
