package io.edgefn.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends and consumes; it is killed with SIGKILL at random moments (after a random
 * number of confirmed appends); after each kill the store is reopened and every append the child
 * saw confirmed must be present, intact and in order, and every one its consumer had not
 * acknowledged must be delivered again. {@code -Dedgefn.buffer.kills} sets the number of kills
 * (30; 300 in the {@code soak} profile).
 */
class CrashRecoveryIT {
    @TempDir
    Path dir;

    @Test
    void sigkillAtRandomMoments_losesNoAcknowledgedAppend() throws Exception {
        int kills = Integer.getInteger("edgefn.buffer.kills", 30);
        Random random = new Random(20261126L);
        Map<Long, byte[]> acknowledged = new HashMap<>();
        Set<Long> consumed = new HashSet<>();
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");
        long appendsSeen = 0;
        for (int run = 0; run < kills; run++) {
            Process child = new ProcessBuilder(javaCommand, "-cp", classpath, "-Xmx64m",
                    "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""),
                    CrashChild.class.getName(), dir.toString(), String.valueOf(run))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int target = 1 + random.nextInt(random.nextBoolean() ? 200 : 5000);
            CountDownLatch enough = new CountDownLatch(target);
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            Thread reader = Thread.ofPlatform().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                        if (line.startsWith("A ")) {
                            enough.countDown();
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the pipe closes when the child is killed
                }
            });
            boolean reached = enough.await(60, TimeUnit.SECONDS);
            child.destroyForcibly();
            child.waitFor();
            reader.join();
            assertThat(reached).as("run %d: child confirmed %d appends (exit %d)", run, target, child.exitValue()).isTrue();
            assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            for (String line : lines) {
                String[] f = line.split(" ");
                if (f[0].equals("A") && f.length == 5) {
                    acknowledged.put(Long.parseLong(f[1]),
                            CrashChild.payload(Integer.parseInt(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4])));
                    appendsSeen++;
                } else if (f[0].equals("C") && f.length == 2) {
                    consumed.add(Long.parseLong(f[1]));
                }
            }
            verify(acknowledged, consumed, "run " + run);
        }
        System.out.printf("CrashRecoveryIT: %d SIGKILLs, %d confirmed appends checked%n", kills, appendsSeen);
    }

    private void verify(Map<Long, byte[]> acknowledged, Set<Long> consumed, String where) throws Exception {
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.builder().segmentBytes(1 << 20).maxBytes(1L << 32).build())) {
            Cursor verify = buffer.cursor("verify");
            Map<Long, byte[]> found = new ConcurrentHashMap<>();
            long[] last = new long[11];
            Arrays.fill(last, -1);
            List<BufferedRecord> batch;
            while (!(batch = verify.poll(1000)).isEmpty()) {
                for (BufferedRecord r : batch) {
                    long seq = BufferedRecord.sequenceOf(r.offset());
                    assertThat(seq).as("%s: order within priority %d", where, r.priority()).isGreaterThan(last[r.priority()]);
                    last[r.priority()] = seq;
                    found.put(r.offset(), r.payload());
                }
            }
            buffer.removeCursor("verify");
            Set<Long> redelivered = new HashSet<>();
            Cursor upstream = buffer.cursor("$upstream");
            while (!(batch = upstream.poll(1000)).isEmpty()) {
                batch.forEach(r -> redelivered.add(r.offset()));
            }
            for (Map.Entry<Long, byte[]> e : acknowledged.entrySet()) {
                if (!consumed.contains(e.getKey())) {
                    assertThat(found.get(e.getKey())).as("%s: confirmed offset %d intact", where, e.getKey()).isEqualTo(e.getValue());
                    assertThat(redelivered).as("%s: unconsumed offset %d redelivered", where, e.getKey()).contains(e.getKey());
                }
            }
            assertThat(buffer.stats().droppedCorrupt()).as("%s: a kill leaves no damage before the tail", where).isZero();
        }
    }
}
