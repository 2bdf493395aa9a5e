package io.edgefn.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.buffer.internal.RecordFormat;
import io.edgefn.buffer.internal.Storage;
import io.edgefn.buffer.internal.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The writer gathers a group while appends keep arriving (GroupSizer, AppendQueue): under a closed
 * load like the benchmark's, every acknowledgement must still come after the fsync that covers its
 * record. A storage that remembers how far each file was forced checks this in each completion.
 */
class AckAfterForceTest {
    private static final int PAYLOAD = 100;
    private static final int FRAMED = RecordFormat.framedSize(PAYLOAD);

    /** Delegates to a power-loss simulation and records each file's size at its last completed force. */
    private static final class ForceRecordingStorage implements Storage {
        final Storage delegate;
        final Map<String, Long> forced = new ConcurrentHashMap<>();

        ForceRecordingStorage(Storage delegate) {
            this.delegate = delegate;
        }

        @Override
        public StorageFile open(String path, boolean create) throws IOException {
            StorageFile file = delegate.open(path, create);
            return new StorageFile() {
                @Override
                public int read(ByteBuffer dst, long position) throws IOException {
                    return file.read(dst, position);
                }

                @Override
                public void write(ByteBuffer src, long position) throws IOException {
                    file.write(src, position);
                }

                @Override
                public void force() throws IOException {
                    long size = file.size(); // one writer thread writes and forces: nothing is written meanwhile
                    file.force();
                    forced.merge(path, size, Math::max);
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
            return delegate.exists(path);
        }

        @Override
        public List<String> list(String directory) throws IOException {
            return delegate.list(directory);
        }

        @Override
        public void createDirectory(String directory) throws IOException {
            delegate.createDirectory(directory);
        }

        @Override
        public void rename(String source, String target) throws IOException {
            delegate.rename(source, target);
        }

        @Override
        public void delete(String path) throws IOException {
            delegate.delete(path);
        }

        @Override
        public void syncDirectory(String directory) throws IOException {
            delegate.syncDirectory(directory);
        }

        @Override
        public String describe(String path) {
            return delegate.describe(path);
        }
    }

    @Test
    void append_closedLoadOfManyProducers_everyAckFollowsTheForceCoveringItsRecord() throws Exception {
        int producers = 4;
        int inFlight = 32;
        int each = 3000;
        ForceRecordingStorage storage = new ForceRecordingStorage(new PowerLossStorage(new Random(15)));
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        try (OfflineBuffer buffer = OfflineBuffer.open(storage, BufferOptions.defaults())) {
            CountDownLatch done = new CountDownLatch(producers * each);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int priority = p % 3;
                threads.add(Thread.ofPlatform().start(() -> {
                    Semaphore slots = new Semaphore(inFlight);
                    byte[] payload = new byte[PAYLOAD];
                    for (int i = 0; i < each; i++) {
                        slots.acquireUninterruptibly();
                        buffer.append(payload, priority, 0).whenComplete((offset, failure) -> {
                            if (failure != null) {
                                violations.add("append failed: " + failure);
                            } else {
                                // One segment per priority (64 MiB): the record ends at (sequence + 1) frames.
                                long end = (BufferedRecord.sequenceOf(offset) + 1) * FRAMED;
                                String path = "p" + BufferedRecord.priorityOf(offset) + "/00000000000000000000.log";
                                long forced = storage.forced.getOrDefault(path, 0L);
                                if (forced < end) {
                                    violations.add("offset " + offset + " acknowledged with " + path + " forced to "
                                            + forced + " bytes, but the record ends at byte " + end);
                                }
                            }
                            slots.release();
                            done.countDown();
                        });
                    }
                }));
            }
            assertThat(done.await(60, TimeUnit.SECONDS)).as("every append completed").isTrue();
            for (Thread t : threads) {
                t.join();
            }
            BufferStats stats = buffer.stats();
            assertThat(stats.appends()).isEqualTo((long) producers * each);
            assertThat(stats.fsyncs()).as("group commit: fsyncs shared by appends").isLessThan(stats.appends());
        }
        assertThat(violations).isEmpty();
    }
}
