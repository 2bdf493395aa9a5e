package io.edgefn.hub.identity;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import io.edgefn.hub.internal.OwnerOnlyFiles;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The files under {@code {dataDir}/identity/}: where they are, how they are written (temp file,
 * fsync, atomic rename, owner-only permissions) and the lock that serialises their creation and
 * change between processes ({@code edgefn devices add}, {@code edgefn certs export} and a running
 * host may all start on a fresh directory at once).
 *
 * <p>The lock is {@code identity/.lock}, never the data directory's own {@code lock} file, which a
 * running host holds for as long as it runs. An OS file lock excludes other processes only, so it is
 * paired with an in-process lock per directory: two registries in one JVM (a host and a test, or a
 * host and an embedded command) exclude each other too.
 *
 * <p>Threading: all methods are thread-safe.
 */
final class IdentityFiles {
    /** The directory under the data directory. */
    static final String DIRECTORY = "identity";
    private static final String LOCK_FILE = ".lock";
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private IdentityFiles() {
    }

    /** {@code {dataDir}/identity}. */
    static Path directory(Path dataDir) {
        return dataDir.toAbsolutePath().normalize().resolve(DIRECTORY);
    }

    /** Creates {@code dir} (and its parents) if missing, owner-only where the file system has POSIX permissions. */
    static void createOwnerOnlyDirectory(Path dir) throws IOException {
        OwnerOnlyFiles.createDirectory(dir);
    }

    /**
     * Replaces {@code target} with {@code content} atomically (temp file, fsync, rename, directory
     * fsync; owner-only from the start): a reader or a crash sees the old file or the new one.
     */
    static void writeAtomically(Path target, byte[] content) throws IOException {
        OwnerOnlyFiles.writeAtomically(target, content);
    }

    /** Something done while holding the identity lock. */
    @FunctionalInterface
    interface Locked<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code action} holding the identity lock of {@code dataDir}: the in-process lock, then the
     * OS file lock on {@code identity/.lock} (blocking until other processes release it).
     *
     * @throws IdentityException if the lock or the action fails with an I/O error
     */
    static <T> T withLock(Path dataDir, String doing, Locked<T> action) {
        Path dir = directory(dataDir);
        ReentrantLock local = IN_PROCESS.computeIfAbsent(dir, d -> new ReentrantLock());
        local.lock();
        try {
            if (local.getHoldCount() > 1) {
                return action.run(); // nested in this thread: the file lock is held already
            }
            createOwnerOnlyDirectory(dir);
            try (FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock lock = channel.lock()) {
                return action.run();
            }
        } catch (IOException e) {
            throw new IdentityException("cannot " + doing + " in " + dir + ": " + e, e);
        } finally {
            local.unlock();
        }
    }
}
