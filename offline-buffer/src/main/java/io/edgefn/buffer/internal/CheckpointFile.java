package io.edgefn.buffer.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Small files written the Kafka way: to a temp file, fsynced, atomically renamed over the old one,
 * and the directory fsynced, so a reader finds either the old content or the new, never a mix.
 * The content is framed with its length and a CRC32C. Stateless.
 */
final class CheckpointFile {
    private CheckpointFile() {
    }

    /** Durably replaces {@code path} (in {@code directory}) with {@code content}. */
    static void write(Storage storage, String directory, String path, byte[] content) throws IOException {
        String tmp = path + ".tmp";
        ByteBuffer buf = ByteBuffer.allocate(8 + content.length);
        CRC32C crc = new CRC32C();
        crc.update(content);
        buf.putInt(content.length).putInt((int) crc.getValue()).put(content).flip();
        try (StorageFile file = storage.open(tmp, true)) {
            file.truncate(0);
            file.write(buf, 0);
            file.force();
        }
        storage.rename(tmp, path);
        storage.syncDirectory(directory);
    }

    /** The content of {@code path}, or null if it is missing; throws {@link IOException} naming the file if it is damaged. */
    static byte[] read(Storage storage, String path) throws IOException {
        if (!storage.exists(path)) {
            return null;
        }
        try (StorageFile file = storage.open(path, false)) {
            long size = file.size();
            if (size < 8 || size > 1 << 20) {
                throw new IOException(storage.describe(path) + " is damaged: " + size + " bytes");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            file.read(buf, 0);
            buf.flip();
            int length = buf.getInt();
            int expected = buf.getInt();
            if (length != size - 8) {
                throw new IOException(storage.describe(path) + " is damaged: length field " + length
                        + " but " + (size - 8) + " bytes follow");
            }
            byte[] content = new byte[length];
            buf.get(content);
            CRC32C crc = new CRC32C();
            crc.update(content);
            if ((int) crc.getValue() != expected) {
                throw new IOException(storage.describe(path) + " is damaged: CRC32C mismatch");
            }
            return content;
        }
    }
}
