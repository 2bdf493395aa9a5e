package io.edgefn.hub.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * How the edge hub keeps the files that hold secrets or state it must not half-write — the
 * identity registry, the certificates' keys, the twins: owner-only permissions from the moment a
 * file exists, and replacement by temp file, fsync, atomic rename and a directory fsync, so that a
 * reader or a crash sees the old file or the new one, never a mix. Stateless and thread-safe
 * (callers serialise writers of one file).
 */
public final class OwnerOnlyFiles {

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private OwnerOnlyFiles() {
    }

    /** Creates {@code dir} (and its parents) if missing, owner-only where the file system has POSIX permissions. */
    public static void createDirectory(Path dir) throws IOException {
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
     * (owner-only from the start), fsynced, renamed over it, and the directory fsynced.
     */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = target.getParent();
        createDirectory(dir);
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
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // Some platforms cannot open a directory; the rename is still atomic there.
        }
    }

    /** Makes {@code path} owner-only (read and write), where the file system has POSIX permissions. */
    public static void restrictToOwner(Path path) throws IOException {
        setPermissions(path, OWNER_FILE);
    }

    private static void setPermissions(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException notPosix) {
            // A file system without POSIX permissions (Windows): the directory's ACL applies.
        }
    }
}
