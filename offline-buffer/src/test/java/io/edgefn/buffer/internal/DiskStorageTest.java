package io.edgefn.buffer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskStorageTest {
    @TempDir
    Path dir;

    @Test
    void read_byAnInterruptedThread_succeedsAndLeavesTheFileUsable() throws Exception {
        DiskStorage storage = new DiskStorage(dir);
        try (StorageFile file = storage.open("f", true)) {
            file.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), 0);
            file.force();
            Thread.currentThread().interrupt();
            ByteBuffer dst = ByteBuffer.allocate(4);
            try {
                assertThat(file.read(dst, 0)).isEqualTo(4);
                assertThat(Thread.currentThread().isInterrupted()).as("interrupt status kept").isTrue();
            } finally {
                Thread.interrupted();
            }
            ByteBuffer again = ByteBuffer.allocate(4);
            assertThat(file.read(again, 0)).isEqualTo(4);
            assertThat(again.array()).containsExactly(1, 2, 3, 4);
        }
    }

    @Test
    void rename_replacesTheTargetAtomically() throws Exception {
        DiskStorage storage = new DiskStorage(dir);
        try (StorageFile a = storage.open("a.tmp", true); StorageFile b = storage.open("a", true)) {
            a.write(ByteBuffer.wrap(new byte[] {7}), 0);
            b.write(ByteBuffer.wrap(new byte[] {1, 1}), 0);
        }
        storage.rename("a.tmp", "a");
        storage.syncDirectory("");
        assertThat(storage.exists("a.tmp")).isFalse();
        try (StorageFile a = storage.open("a", false)) {
            assertThat(a.size()).isEqualTo(1);
        }
        assertThat(storage.list("")).containsExactly("a");
    }
}
