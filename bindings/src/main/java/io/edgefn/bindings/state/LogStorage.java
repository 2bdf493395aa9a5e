package io.edgefn.bindings.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * One store as an append-only log file with an index of its live keys in memory (the Bitcask
 * design): reads go to the file at the key's offset, writes append a record and fsync it.
 *
 * <h2>Format</h2>
 * The file starts with the 8-byte header {@code EFSTATE} + version {@code 1}. Then records:
 * {@code int length, int crc32c, payload}, where the CRC32C covers the payload and the payload is
 * {@code byte op} (1 put, 2 remove), {@code short keyLength}, the UTF-8 key and, for a put, the
 * value's bytes (JSON). Big-endian.
 *
 * <h2>Durability</h2>
 * A put or remove writes its record at the end of the file and forces it ({@code fdatasync})
 * before it returns, one record and one flush at a time: writes are serialised by the caller's
 * lock, so at most one record can be torn by a crash. A new log file is made whole (header,
 * fsync) under a temporary name and renamed into place, and its directory is fsynced.
 *
 * <h2>Recovery</h2>
 * Opening scans every record, rebuilding the index. A crash can leave only the tail torn — a
 * record whose bytes run past the end of the file, or whose CRC fails while nothing but zeros (or
 * nothing) follows it, since a file grows with zeros where a write did not land. Such a tail is
 * truncated and the file forced. A bad record with real records after it is damage, not a crash:
 * the open fails with the file, the offset and what to do, instead of silently dropping state.
 *
 * <h2>Compaction</h2>
 * Every put of a key leaves its old record dead. When the file exceeds {@link #COMPACT_MIN_BYTES}
 * and more than half of it is dead, the live records are written to {@code <file>.compacting},
 * forced, renamed over the log and the directory fsynced; a crash before the rename leaves the old
 * log whole and the leftover is deleted on the next open.
 *
 * <h2>Interrupts</h2>
 * The host interrupts an invocation that times out, and an interrupt closes a {@code FileChannel}
 * in the middle of its I/O — which would break the store for every later invocation. So the log
 * is read and written through a {@link RandomAccessFile}, whose I/O an interrupt does not touch;
 * only a directory's fsync needs a channel, which is opened for that alone, with the thread's
 * interrupt status set aside, and retried before the next write returns if it failed anyway.
 *
 * <p>Not thread-safe: see {@link Storage}; concurrent reads are serialised here on the file.
 */
final class LogStorage implements Storage {

    static final byte[] HEADER = {'E', 'F', 'S', 'T', 'A', 'T', 'E', 1};
    static final int RECORD_HEADER = 8;
    static final long COMPACT_MIN_BYTES = 64 * 1024;
    private static final byte PUT = 1;
    private static final byte REMOVE = 2;

    /** Where a live value lies in the file. */
    private record Location(long valueOffset, int valueLength, int recordLength, long version) {
    }

    private final Path file;
    private final int maxRecordBytes;
    private final Map<String, Location> index = new HashMap<>();
    private RandomAccessFile log;
    private boolean directorySyncPending;
    private long end;
    private long liveBytes;
    private long liveRecordBytes;
    private long versions;

    private LogStorage(Path file, int maxRecordBytes) {
        this.file = file;
        this.maxRecordBytes = maxRecordBytes;
    }

    /**
     * Opens the log {@code file}, creating it (and its directory) if needed, and recovers it.
     *
     * @param maxRecordBytes the largest payload a record may have; a longer length is damage
     * @throws StateStoreException when the file is damaged or cannot be read
     */
    static LogStorage open(Path file, int maxRecordBytes) {
        LogStorage storage = new LogStorage(file, maxRecordBytes);
        try {
            Files.deleteIfExists(compacting(file));
            if (!Files.exists(file) || Files.size(file) < HEADER.length) {
                create(file); // also a file torn while it was being made: it held nothing yet
            }
            storage.log = new RandomAccessFile(file.toFile(), "rw");
            storage.recover();
            return storage;
        } catch (IOException e) {
            storage.closeQuietly();
            throw new StateStoreException(file, "cannot open the state store " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            storage.closeQuietly();
            throw e;
        }
    }

    private static Path compacting(Path file) {
        return file.resolveSibling(file.getFileName() + ".compacting");
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        createDirectories(dir);
        Path temp = compacting(file);
        try (RandomAccessFile out = new RandomAccessFile(temp.toFile(), "rw")) {
            out.setLength(0);
            out.write(HEADER);
            out.getFD().sync();
        }
        move(temp, file);
        fsyncDirectory(dir);
    }

    /** Creates {@code dir} and its missing parents, fsyncing the parent of each one made. */
    private static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        createDirectories(dir.getParent());
        Files.createDirectory(dir);
        fsyncDirectory(dir.getParent());
    }

    /** Fsyncs {@code dir}; the calling thread's interrupt status is set aside meanwhile and restored. */
    private static void fsyncDirectory(Path dir) throws IOException {
        boolean interrupted = Thread.interrupted();
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void recover() throws IOException {
        long size = log.length();
        ByteBuffer header = ByteBuffer.allocate(HEADER.length);
        readFully(header, 0);
        if (!java.util.Arrays.equals(header.array(), HEADER)) {
            throw new StateStoreException(file, "the state store " + file + " is not an edgefn state log (its first "
                    + HEADER.length + " bytes are not the header EFSTATE\\1); move it away, the store then starts empty", null);
        }
        long pos = HEADER.length;
        ByteBuffer recordHeader = ByteBuffer.allocate(RECORD_HEADER);
        while (pos < size) {
            long remaining = size - pos;
            if (remaining < RECORD_HEADER) {
                truncate(pos, "a record header is cut short");
                return;
            }
            recordHeader.clear();
            readFully(recordHeader, pos);
            int length = recordHeader.getInt(0);
            int crc = recordHeader.getInt(4);
            if (length < 3 || length > maxRecordBytes) {
                if (zerosFrom(pos, size)) {
                    truncate(pos, "zeros where a record should start");
                    return;
                }
                if ((long) length > remaining - RECORD_HEADER) {
                    truncate(pos, "a record runs past the end of the file");
                    return;
                }
                throw damaged(pos, size, "has the impossible length " + length);
            }
            if (length > remaining - RECORD_HEADER) {
                truncate(pos, "a record runs past the end of the file");
                return;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(payload, pos + RECORD_HEADER);
            CRC32C check = new CRC32C();
            check.update(payload.array());
            long next = pos + RECORD_HEADER + length;
            if ((int) check.getValue() != crc || !apply(payload, pos)) {
                if (next == size || zerosFrom(next, size)) {
                    truncate(pos, "the last record fails its CRC32C check");
                    return;
                }
                throw damaged(pos, size, "fails its CRC32C check (or is malformed)");
            }
            pos = next;
        }
        end = pos;
    }

    private StateStoreException damaged(long pos, long size, String what) {
        return new StateStoreException(file, "the state store " + file + " is damaged: the record at offset " + pos + " "
                + what + ", and " + (size - pos) + " bytes follow it, so it is not a write torn by a crash. Restore the"
                + " file from a backup, or move it away to start the store empty (its state is then lost)", null);
    }

    /** Applies a recovered record to the index; false when the payload is malformed. */
    private boolean apply(ByteBuffer payload, long pos) {
        byte op = payload.get(0);
        int keyLength = Short.toUnsignedInt(payload.getShort(1));
        if ((op != PUT && op != REMOVE) || 3 + keyLength > payload.capacity() || (op == REMOVE && 3 + keyLength != payload.capacity())) {
            return false;
        }
        String key = new String(payload.array(), 3, keyLength, StandardCharsets.UTF_8);
        int length = payload.capacity();
        if (op == PUT) {
            index(key, new Location(pos + RECORD_HEADER + 3 + keyLength, length - 3 - keyLength,
                    RECORD_HEADER + length, ++versions));
        } else {
            unindex(key);
        }
        return true;
    }

    private boolean zerosFrom(long from, long size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        for (long p = from; p < size; ) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), size - p));
            int n = readSome(buffer.array(), buffer.limit(), p);
            if (n <= 0) {
                return true;
            }
            for (int i = 0; i < n; i++) {
                if (buffer.get(i) != 0) {
                    return false;
                }
            }
            p += n;
        }
        return true;
    }

    private void truncate(long pos, String why) throws IOException {
        System.getLogger(LogStorage.class.getName()).log(System.Logger.Level.WARNING, "state store " + file
                + ": " + why + " at offset " + pos + " (a write torn by a crash); truncating the file there");
        log.setLength(pos);
        log.getFD().sync();
        end = pos;
    }

    private void index(String key, Location location) {
        unindex(key);
        index.put(key, location);
        liveBytes += keyBytes(key) + location.valueLength();
        liveRecordBytes += location.recordLength();
    }

    private void unindex(String key) {
        Location old = index.remove(key);
        if (old != null) {
            liveBytes -= keyBytes(key) + old.valueLength();
            liveRecordBytes -= old.recordLength();
        }
    }

    private static int keyBytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public byte[] read(String key) {
        Location l = index.get(key);
        if (l == null) {
            return null;
        }
        ByteBuffer value = ByteBuffer.allocate(l.valueLength());
        try {
            readFully(value, l.valueOffset());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key '" + key + "' from the state store " + file + ": "
                    + e.getMessage(), e);
        }
        return value.array();
    }

    @Override
    public long version(String key) {
        Location l = index.get(key);
        return l == null ? 0 : l.version();
    }

    @Override
    public void put(String key, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        long at = append(PUT, k, value);
        index(key, new Location(at + RECORD_HEADER + 3 + k.length, value.length, RECORD_HEADER + 3 + k.length + value.length,
                ++versions));
        compactIfWasteful();
    }

    @Override
    public boolean remove(String key) {
        if (!index.containsKey(key)) {
            return false;
        }
        append(REMOVE, key.getBytes(StandardCharsets.UTF_8), new byte[0]);
        unindex(key);
        compactIfWasteful();
        return true;
    }

    /** Appends one record and forces it; its offset. On failure the file is cut back to where it was. */
    private long append(byte op, byte[] key, byte[] value) {
        ByteBuffer record = record(op, key, value);
        long at = end;
        try {
            log.seek(at);
            log.write(record.array(), 0, record.limit());
            log.getFD().sync();
            if (directorySyncPending) { // a compaction's rename is not yet durable: nor would this record be
                fsyncDirectory(file.toAbsolutePath().getParent());
                directorySyncPending = false;
            }
        } catch (IOException e) {
            try {
                log.setLength(at);
            } catch (IOException ignored) {
                // the next open truncates a torn tail anyway
            }
            throw new UncheckedIOException("cannot write to the state store " + file + ": " + e.getMessage(), e);
        }
        end = at + record.capacity();
        return at;
    }

    static ByteBuffer record(byte op, byte[] key, byte[] value) {
        int length = 3 + key.length + value.length;
        ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER + length);
        record.putInt(length).putInt(0).put(op).putShort((short) key.length).put(key).put(value);
        CRC32C crc = new CRC32C();
        crc.update(record.array(), RECORD_HEADER, length);
        record.putInt(4, (int) crc.getValue());
        return record.flip();
    }

    /** Compacts when more than half the log is dead; a failure is logged, as the write before it is durable. */
    private void compactIfWasteful() {
        if (end > COMPACT_MIN_BYTES && end - HEADER.length > 2 * liveRecordBytes) {
            try {
                compact();
            } catch (UncheckedIOException e) {
                System.getLogger(LogStorage.class.getName()).log(System.Logger.Level.WARNING,
                        e.getMessage() + "; the log stays as it is and compaction is tried again on the next write");
            }
        }
    }

    /**
     * Rewrites the live records into a new file and renames it over the log. The new file is
     * opened before the rename and the old one kept until after it, so a failure at any
     * step leaves the store reading and writing one whole file.
     */
    void compact() {
        Path temp = compacting(file);
        Map<String, Location> moved = new HashMap<>();
        RandomAccessFile compacted = null;
        try {
            compacted = new RandomAccessFile(temp.toFile(), "rw");
            compacted.setLength(0);
            compacted.write(HEADER);
            long pos = HEADER.length;
            for (Map.Entry<String, Location> e : index.entrySet()) {
                byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
                ByteBuffer record = record(PUT, k, read(e.getKey()));
                Location l = e.getValue();
                moved.put(e.getKey(), new Location(pos + RECORD_HEADER + 3 + k.length, l.valueLength(), l.recordLength(),
                        l.version()));
                compacted.write(record.array(), 0, record.limit());
                pos += record.limit();
            }
            compacted.getFD().sync();
            move(temp, file); // the open file follows its new name
            RandomAccessFile old = log;
            log = compacted;
            compacted = null;
            end = pos;
            index.putAll(moved);
            old.close();
            directorySyncPending = true;
            fsyncDirectory(file.toAbsolutePath().getParent());
            directorySyncPending = false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact the state store " + file + ": " + e.getMessage()
                    + (directorySyncPending ? " (the directory is fsynced again before the next write returns)" : ""), e);
        } finally {
            if (compacted != null) { // failed before the switch: the old log is still the store
                try {
                    compacted.close();
                } catch (IOException ignored) {
                    // nothing was switched to it
                }
                deleteQuietly(temp);
            }
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // the next open deletes a leftover
        }
    }

    /** The log's length in bytes, for tests. */
    long fileBytes() {
        return end;
    }

    @Override
    public Set<String> keys() {
        return Set.copyOf(index.keySet());
    }

    @Override
    public long liveBytes() {
        return liveBytes;
    }

    @Override
    public long entryBytes(String key) {
        Location l = index.get(key);
        return l == null ? 0 : keyBytes(key) + l.valueLength();
    }

    @Override
    public void close() {
        try {
            log.close();
        } catch (IOException e) {
            // every write was forced: nothing is lost
        }
    }

    private void closeQuietly() {
        if (log != null) {
            close();
        }
    }

    /** Reads {@code buffer} whole from {@code position}, leaving it ready to read from. */
    private void readFully(ByteBuffer buffer, long position) throws IOException {
        int done = 0;
        while (done < buffer.capacity()) {
            int n = readSomeAt(buffer.array(), done, buffer.capacity() - done, position + done);
            if (n < 0) {
                throw new IOException("unexpected end of file at offset " + (position + done));
            }
            done += n;
        }
        buffer.position(0).limit(buffer.capacity());
    }

    private int readSome(byte[] into, int length, long position) throws IOException {
        return readSomeAt(into, 0, length, position);
    }

    /** One positioned read; synchronised because concurrent readers share the file's position. */
    private synchronized int readSomeAt(byte[] into, int offset, int length, long position) throws IOException {
        log.seek(position);
        return log.read(into, offset, length);
    }
}
