package io.edgefn.buffer.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real {@link Storage}: files under one directory, {@link FileChannel#force(boolean)} for
 * fsync, an atomic rename and an fsync of the directory for names. {@link #readOnly} gives one that
 * opens files for reading only and refuses every change. Thread-safe.
 */
public final class DiskStorage implements Storage {
    private final Path root;
    private final boolean readOnly;

    /** A storage rooted at {@code root}, which is created if missing. */
    public DiskStorage(Path root) throws IOException {
        this.root = root;
        this.readOnly = false;
        Files.createDirectories(root);
    }

    private DiskStorage(Path root, boolean readOnly) {
        this.root = root;
        this.readOnly = readOnly;
    }

    /**
     * A storage on the existing directory {@code root} that only reads: files are opened read-only,
     * and creating, writing, truncating, renaming, deleting or syncing fails with an
     * {@link IOException} naming the path, so that a mistake cannot change the store.
     *
     * @throws NoSuchFileException if {@code root} is not a directory
     */
    public static DiskStorage readOnly(Path root) throws NoSuchFileException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "no offline buffer directory here");
        }
        return new DiskStorage(root, true);
    }

    private void refuseIfReadOnly(String what, String path) throws IOException {
        if (readOnly) {
            throw new IOException("offline buffer at " + root + " is open read-only: refusing to " + what + " " + path);
        }
    }

    @Override
    public StorageFile open(String path, boolean create) throws IOException {
        Path file = root.resolve(path);
        if (!create && !Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (create && !Files.exists(file)) {
            refuseIfReadOnly("create", path);
        }
        return new DiskFile(file, readOnly);
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(root.resolve(path));
    }

    @Override
    public List<String> list(String directory) throws IOException {
        Path dir = root.resolve(directory);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }

    @Override
    public void createDirectory(String directory) throws IOException {
        refuseIfReadOnly("create the directory", directory);
        Files.createDirectories(root.resolve(directory));
    }

    @Override
    public void rename(String source, String target) throws IOException {
        refuseIfReadOnly("rename", source);
        try {
            Files.move(root.resolve(source), root.resolve(target), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system under " + root + " cannot rename atomically", e);
        }
    }

    @Override
    public void delete(String path) throws IOException {
        refuseIfReadOnly("delete", path);
        Files.deleteIfExists(root.resolve(path));
    }

    @Override
    public void syncDirectory(String directory) throws IOException {
        refuseIfReadOnly("sync the directory", directory.isEmpty() ? "." : directory);
        // On Linux a directory opened read-only can be fsynced; that makes its entries durable.
        try (FileChannel dir = FileChannel.open(root.resolve(directory), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    @Override
    public String describe(String path) {
        return root.resolve(path).toString();
    }

    /**
     * A file behind a {@link FileChannel}. A {@code FileChannel} closes itself when a thread using it
     * is interrupted, which would break the file for every other reader; this class reopens it and
     * retries the operation with the interrupt deferred, then restores the interrupt status.
     */
    private static final class DiskFile implements StorageFile {
        private final Path path;
        private final boolean readOnly;
        private volatile FileChannel channel;
        private volatile boolean closed;

        DiskFile(Path path, boolean readOnly) throws IOException {
            this.path = path;
            this.readOnly = readOnly;
            this.channel = openChannel();
        }

        private FileChannel openChannel() throws IOException {
            return readOnly
                    ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }

        private void refuseIfReadOnly(String what) throws IOException {
            if (readOnly) {
                throw new IOException(path + " is open read-only: refusing to " + what);
            }
        }

        private interface Op<T> {
            T run(FileChannel ch) throws IOException;
        }

        private <T> T call(Op<T> op) throws IOException {
            FileChannel ch = channel;
            try {
                return op.run(ch);
            } catch (ClosedByInterruptException e) {
                boolean interrupted = Thread.interrupted();
                try {
                    return op.run(reopen(ch));
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }

        private synchronized FileChannel reopen(FileChannel broken) throws IOException {
            if (closed) {
                throw new IOException(path + " is closed");
            }
            if (channel == broken) {
                channel = openChannel();
            }
            return channel;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            int start = dst.position();
            return call(ch -> {
                dst.position(start);
                int total = 0;
                while (dst.hasRemaining()) {
                    int n = ch.read(dst, position + total);
                    if (n < 0) {
                        return total == 0 ? -1 : total;
                    }
                    total += n;
                }
                return total;
            });
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            refuseIfReadOnly("write");
            int start = src.position();
            call(ch -> {
                src.position(start);
                long pos = position;
                while (src.hasRemaining()) {
                    pos += ch.write(src, pos);
                }
                return null;
            });
        }

        @Override
        public void force() throws IOException {
            refuseIfReadOnly("fsync");
            call(ch -> {
                ch.force(false);
                return null;
            });
        }

        @Override
        public long size() throws IOException {
            return call(FileChannel::size);
        }

        @Override
        public void truncate(long size) throws IOException {
            refuseIfReadOnly("truncate");
            call(ch -> ch.truncate(size));
        }

        @Override
        public synchronized void close() throws IOException {
            closed = true;
            channel.close();
        }
    }
}
