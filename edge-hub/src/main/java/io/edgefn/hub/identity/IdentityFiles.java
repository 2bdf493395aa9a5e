package io.edgefn.hub.identity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
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
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private IdentityFiles() {
    }

    /** {@code {dataDir}/identity}. */
    static Path directory(Path dataDir) {
        return dataDir.toAbsolutePath().normalize().resolve(DIRECTORY);
    }

    /** Creates {@code dir} (and its parents) if missing, owner-only where the file system has POSIX permissions. */
    static void createOwnerOnlyDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir);
            setPermissions(dir, OWNER_DIR);
        } catch (FileAlreadyExistsException raced) {
            if (!Files.isDirectory(dir)) {
                throw raced;
            }
        }
    }

    /**
     * Replaces {@code target} with {@code content} atomically: written to a temp file beside it
     * (owner-only from the start), fsynced, renamed over it, and the directory fsynced, so a
     * reader or a crash sees the old file or the new one, never a mix.
     */
    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = target.getParent();
        createOwnerOnlyDirectory(dir);
        Path temp = dir.resolve("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        Files.createFile(temp);
        setPermissions(temp, OWNER_FILE); // before the content: a key is never readable by others
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(dir);
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // Some platforms cannot open a directory; the rename is still atomic there.
        }
    }

    private static void setPermissions(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException notPosix) {
            // A file system without POSIX permissions (Windows): the directory's ACL applies.
        }
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
