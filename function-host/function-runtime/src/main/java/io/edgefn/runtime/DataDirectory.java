package io.edgefn.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A host's data directory, locked for as long as the host runs so two hosts never share one
 * offline buffer. The lock is an OS file lock, released by the OS if the process dies.
 *
 * <p>Layout: {@code lock} (holds the owner's pid), {@code buffer/} (the offline buffer),
 * {@code packages/} (function packages copied in by deployments).
 */
public final class DataDirectory implements AutoCloseable {

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path root, FileChannel lockChannel, FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates {@code root} if needed and locks it; fails with a clear message if another host holds it. */
    public static DataDirectory lock(Path root) {
        try {
            Files.createDirectories(root);
            Path lockFile = root.resolve("lock");
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String owner = new String(Files.readAllBytes(lockFile), StandardCharsets.UTF_8).trim();
                channel.close();
                throw new HostException("data directory " + root + " is in use by another edgefn host"
                        + (owner.isEmpty() ? "" : " (pid " + owner + ")") + "; stop it or pass another --data-dir", (Throwable) null);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
            return new DataDirectory(root, channel, lock);
        } catch (IOException e) {
            throw new HostException("cannot use data directory " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code port} to {@code http.port}, so that {@code edgefn status} finds the running
     * host's management API; removed again on close.
     */
    public void publishHttpPort(int port) {
        try {
            Files.writeString(root.resolve(HTTP_PORT_FILE), Integer.toString(port));
        } catch (IOException e) {
            throw new HostException("cannot write " + root.resolve(HTTP_PORT_FILE) + ": " + e.getMessage(), e);
        }
    }

    /** The file a running host's management port is written to. */
    public static final String HTTP_PORT_FILE = "http.port";

    /** The directory. */
    public Path root() {
        return root;
    }

    /** Where the offline buffer lives. */
    public Path buffer() {
        return root.resolve("buffer");
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(root.resolve(HTTP_PORT_FILE));
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // The OS releases the lock with the process anyway.
        }
    }
}
