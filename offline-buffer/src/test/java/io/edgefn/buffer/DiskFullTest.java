package io.edgefn.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.buffer.internal.DiskStorage;
import io.edgefn.buffer.internal.Storage;
import io.edgefn.buffer.internal.StorageFile;
import io.edgefn.testing.ManualClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that says "No space left on device" to every write, as a full one does (the same on a real
 * tmpfs in {@link DiskFullIT}): the buffer says so once a minute of its clock, not once per append,
 * shows it in its stats, and counts only the bytes its files really hold.
 */
class DiskFullTest {
    @TempDir
    Path dir;

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    /** Held so that the level set here is not lost with a collected logger. */
    private Logger diskLog;
    private Handler handler;

    @BeforeEach
    void captureTheBuffersLog() {
        diskLog = Logger.getLogger("io.edgefn.buffer.internal.DiskHealth");
        handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        diskLog.setLevel(Level.ALL);
        diskLog.setUseParentHandlers(false);
        diskLog.addHandler(handler);
    }

    @AfterEach
    void restoreTheLog() {
        diskLog.removeHandler(handler);
        diskLog.setLevel(null);
        diskLog.setUseParentHandlers(true);
    }

    private List<String> errors() {
        return logged.stream().filter(r -> r.getLevel() == Level.SEVERE).map(LogRecord::getMessage).toList();
    }

    private static long segmentBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".log")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static int fail(OfflineBuffer buffer, int appends) {
        int failed = 0;
        for (int i = 0; i < appends; i++) {
            CompletableFuture<Long> f = buffer.append(new byte[200], 3, 0);
            if (f.handle((offset, e) -> e instanceof BufferIOException).join()) {
                failed++;
            }
        }
        return failed;
    }

    @Test
    void fullDisk_isReportedOncePerMinuteInStatsAndWithRealSizes() throws Exception {
        ManualClock clock = new ManualClock();
        FullableStorage storage = new FullableStorage(new DiskStorage(dir));
        try (OfflineBuffer buffer = OfflineBuffer.open(storage, BufferOptions.builder().clock(clock)
                .segmentBytes(64 * 1024).build())) {
            for (int i = 0; i < 50; i++) {
                buffer.append(new byte[200], 3, 0).get();
            }
            long held = segmentBytes(dir);
            assertThat(buffer.stats().bytesOnDisk()).isEqualTo(held);
            storage.full.set(true);

            assertThat(fail(buffer, 300)).isEqualTo(300);
            BufferStats stats = buffer.stats();
            assertThat(stats.diskFull()).isTrue();
            assertThat(stats.lastWriteError()).contains("No space left on device").contains("p3/00000000000000000000.log");
            assertThat(stats.failedAppends()).isEqualTo(300);
            assertThat(stats.bytesOnDisk()).as("failed appends hold no bytes").isEqualTo(held).isEqualTo(segmentBytes(dir));
            assertThat(errors()).as("one report, not one per append").hasSize(1);
            assertThat(errors().get(0)).contains("the disk is full").contains("No space left on device");

            clock.advance(Duration.ofSeconds(59));
            fail(buffer, 100);
            assertThat(errors()).hasSize(1);
            clock.advance(Duration.ofSeconds(1));
            fail(buffer, 1);
            assertThat(errors()).as("a minute later, with the count since").hasSize(2);
            assertThat(errors().get(1)).contains("400 append(s) refused since the last report");

            storage.full.set(false);
            assertThat(buffer.append(new byte[200], 3, 0).get()).isEqualTo(BufferedRecord.offsetOf(3, 50));
            stats = buffer.stats();
            assertThat(stats.diskFull()).as("space returned").isFalse();
            assertThat(stats.failedAppends()).isEqualTo(401);
            assertThat(stats.bytesOnDisk()).isEqualTo(segmentBytes(dir));
            assertThat(logged).filteredOn(r -> r.getLevel() == Level.WARNING).singleElement()
                    .satisfies(r -> assertThat(r.getMessage()).contains("writes succeed again"));
        }
    }

    /**
     * Real files whose segment writes fail with ENOSPC's message while {@link #full} is set (the
     * small checkpoint files still fit, so only appends are refused and the counts are exact).
     */
    private static final class FullableStorage implements Storage {
        final AtomicBoolean full = new AtomicBoolean();
        private final Storage disk;

        FullableStorage(Storage disk) {
            this.disk = disk;
        }

        @Override
        public StorageFile open(String path, boolean create) throws IOException {
            StorageFile file = disk.open(path, create);
            return new StorageFile() {
                @Override
                public int read(ByteBuffer dst, long position) throws IOException {
                    return file.read(dst, position);
                }

                @Override
                public void write(ByteBuffer src, long position) throws IOException {
                    if (full.get() && path.endsWith(".log")) {
                        throw new IOException("No space left on device");
                    }
                    file.write(src, position);
                }

                @Override
                public void force() throws IOException {
                    file.force();
                }

                @Override
                public long size() throws IOException {
                    return file.size();
                }

                @Override
                public void truncate(long size) throws IOException {
                    file.truncate(size);
                }

                @Override
                public void close() throws IOException {
                    file.close();
                }
            };
        }

        @Override
        public boolean exists(String path) throws IOException {
            return disk.exists(path);
        }

        @Override
        public List<String> list(String directory) throws IOException {
            return disk.list(directory);
        }

        @Override
        public void createDirectory(String directory) throws IOException {
            disk.createDirectory(directory);
        }

        @Override
        public void rename(String source, String target) throws IOException {
            disk.rename(source, target);
        }

        @Override
        public void delete(String path) throws IOException {
            disk.delete(path);
        }

        @Override
        public void syncDirectory(String directory) throws IOException {
            disk.syncDirectory(directory);
        }

        @Override
        public String describe(String path) {
            return disk.describe(path);
        }
    }
}
