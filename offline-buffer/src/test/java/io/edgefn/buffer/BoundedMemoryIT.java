package io.edgefn.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory stays bounded whatever the backlog: a child JVM with a 40 MB heap buffers
 * {@code -Dedgefn.buffer.memoryRecords} records of 256 bytes (one million; ten million in the soak
 * profile) and replays them. The buffer keeps no per-record state in memory: per segment it holds
 * a sparse index of one 8-byte entry per 4 KiB of log (about 6 MB for ten million such records),
 * and cursors hold only the records they have in flight.
 */
class BoundedMemoryIT {
    private static final long HEAP_LIMIT = 32L << 20;

    @TempDir
    Path dir;

    @Test
    void millionsOfBufferedRecords_fitInASmallHeap() throws Exception {
        long records = Long.getLong("edgefn.buffer.memoryRecords", 1_000_000);
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(javaCommand, "-Xmx40m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), MemoryChild.class.getName(), dir.toString(), String.valueOf(records))
                .redirectErrorStream(true).start();
        List<String> lines = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(child.waitFor()).as("child output: %s", lines).isZero();
        String[] buffered = lines.stream().filter(l -> l.startsWith("BUFFERED ")).findFirst().orElseThrow().split(" ");
        String[] replayed = lines.stream().filter(l -> l.startsWith("REPLAYED ")).findFirst().orElseThrow().split(" ");
        assertThat(Long.parseLong(buffered[1])).isEqualTo(records);
        assertThat(Long.parseLong(replayed[1])).isEqualTo(records);
        long heapBuffered = Long.parseLong(buffered[3]);
        long heapReplayed = Long.parseLong(replayed[3]);
        System.out.printf("BoundedMemoryIT: %,d records buffered with %,d bytes of heap in use, %,d after replay%n",
                records, heapBuffered, heapReplayed);
        assertThat(heapBuffered).isLessThan(HEAP_LIMIT);
        assertThat(heapReplayed).isLessThan(HEAP_LIMIT);
    }
}
