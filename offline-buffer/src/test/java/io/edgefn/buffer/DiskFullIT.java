package io.edgefn.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.edgefn.testing.SmallDisk;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the store lives on a 2 MiB tmpfs (mounting needs root, which the build machine
 * has; elsewhere the test is skipped with the reason). Appends hit ENOSPC, fail with
 * {@link BufferIOException}, lose nothing accepted before, show in the stats ({@code diskFull}, the
 * last error, bytes really held), and succeed again once space is freed.
 */
class DiskFullIT {
    @TempDir
    Path tmp;
    private SmallDisk disk;
    private Path mount;

    @BeforeEach
    void mountTmpfs() throws Exception {
        disk = SmallDisk.mount(tmp.resolve("small-disk"), "2m");
        assumeTrue(disk.mounted(), disk.problem());
        mount = disk.root();
    }

    @AfterEach
    void unmount() throws Exception {
        disk.close();
    }

    private static long segmentBytes(Path store) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(store)) {
            return files.filter(p -> p.toString().endsWith(".log")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static byte[] numbered(int i) {
        return ByteBuffer.allocate(256).putInt(i).array();
    }

    @Test
    void diskFills_appendsFailCleanly_nothingAcceptedIsLost_andAppendsResumeWhenSpaceReturns() throws Exception {
        Path filler = mount.resolve("filler");
        Files.write(filler, new byte[512 * 1024]);
        Path store = mount.resolve("store");
        BufferOptions options = BufferOptions.builder().segmentBytes(128 * 1024).maxBytes(1L << 30).build();
        int accepted = 0;
        try (OfflineBuffer buffer = OfflineBuffer.open(store, options)) {
            buffer.cursor("$upstream");
            ExecutionException full = null;
            while (full == null) {
                try {
                    buffer.append(numbered(accepted), 3, 0).get();
                    accepted++;
                } catch (ExecutionException e) {
                    full = e;
                }
            }
            assertThat(full.getCause()).isInstanceOf(BufferIOException.class)
                    .hasMessageContaining("No space left on device");
            assertThat(accepted).isGreaterThan(1000);
            // Still full: more appends fail the same way, nothing is half-written, and the stats say
            // so without counting the refused bytes as held.
            for (int i = 0; i < 500; i++) {
                assertThat(buffer.append(numbered(accepted), 3, 0)).failsWithin(java.time.Duration.ofSeconds(10));
            }
            BufferStats stats = buffer.stats();
            assertThat(stats.diskFull()).isTrue();
            assertThat(stats.failedAppends()).isEqualTo(501);
            assertThat(stats.lastWriteError()).contains("No space left on device").contains(store.toString());
            assertThat(stats.bytesOnDisk()).as("the bytes the segment files hold")
                    .isEqualTo(segmentBytes(store)).isLessThan(2L << 20);
            Files.delete(filler);
            assertThat(buffer.append(numbered(accepted), 3, 0).get()).isNotNull();
            accepted++;
            assertThat(buffer.stats().diskFull()).as("space returned").isFalse();
            assertThat(buffer.stats().bytesOnDisk()).isEqualTo(segmentBytes(store));
        }
        try (OfflineBuffer buffer = OfflineBuffer.open(store, options)) {
            Cursor cursor = buffer.cursor("$upstream");
            List<Integer> got = new ArrayList<>();
            List<BufferedRecord> batch;
            while (!(batch = cursor.poll(500)).isEmpty()) {
                batch.forEach(r -> got.add(ByteBuffer.wrap(r.payload()).getInt()));
            }
            assertThat(got).hasSize(accepted);
            for (int i = 0; i < accepted; i++) {
                assertThat(got.get(i)).isEqualTo(i);
            }
            assertThat(buffer.stats().droppedCorrupt()).isZero();
        }
    }
}
