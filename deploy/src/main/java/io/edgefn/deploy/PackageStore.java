package io.edgefn.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A host's function packages kept by content: each jar is stored once as
 * {@code <directory>/sha256/<64 hex digits>.jar}, named by the SHA-256 of its bytes, so a deployment,
 * its history and a rollback name a package by hash and never depend on a file the user may change
 * or delete.
 *
 * <p>Durability, as the offline buffer writes its checkpoints: a jar is written to a temporary
 * file in the same directory (owner-only, {@code 0600}), forced to disk, atomically renamed to its
 * name, and the directory is forced, so a crash leaves either no entry or a whole one. The
 * directories are owner-only ({@code 0700}). An entry is never trusted for its name alone:
 * {@link #contains} hashes it again, and a corrupt entry (a bad sector, a hand edit) is removed,
 * so the caller stores the jar again from its source or refuses it (see docs/deployment.md).
 *
 * <p>Thread-safe: every write is a rename of a complete file, so concurrent puts of the same jar
 * leave one whole entry. One host writes a data directory (its lock); readers such as
 * {@code edgefn status} never write.
 */
public final class PackageStore {

    /** The subdirectory of the store's entries, named for their hash. */
    public static final String ENTRIES = "sha256";

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final String SUFFIX = ".jar";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path entries;
    private final boolean posix;

    private PackageStore(Path entries, boolean posix) {
        this.entries = entries;
        this.posix = posix;
    }

    /**
     * The store in {@code directory} (a host's {@code packages/}), its directories made owner-only
     * when they do not exist yet.
     *
     * @throws PackageException naming the directory when it cannot be made
     */
    public static PackageStore open(Path directory) {
        Objects.requireNonNull(directory, "directory");
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path entries = directory.resolve(ENTRIES);
        try {
            makeDirectory(directory, posix);
            makeDirectory(entries, posix);
        } catch (IOException e) {
            throw new PackageException("cannot make the package store " + entries + ": " + InputFiles.describe(e), e);
        }
        return new PackageStore(entries, posix);
    }

    private static void makeDirectory(Path dir, boolean posix) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            if (posix) {
                Files.setPosixFilePermissions(dir, OWNER_DIR);
            }
        }
    }

    /** The directory holding the entries ({@code <directory>/sha256}). */
    public Path directory() {
        return entries;
    }

    /**
     * Stores the jar at {@code jar}, named as its path in messages; see {@link #put(Path, String, String)}.
     *
     * @return its SHA-256, 64 lower-case hex digits
     */
    public String put(Path jar) {
        return put(jar, jar.toString(), null);
    }

    /**
     * Stores the jar at {@code jar} under its SHA-256, unless the store already holds an intact copy
     * with that hash (then nothing is written). The jar is hashed once to find the entry and again
     * as it is copied, so a file changed while it was read is refused rather than stored under a
     * hash it no longer has.
     *
     * @param shownAs        how messages name the jar (the path the user wrote)
     * @param expectedSha256 the hash the jar must have, or {@code null}
     * @return its SHA-256, 64 lower-case hex digits
     * @throws PackageException when the jar is not a regular file within
     *                          {@link FunctionPackage#MAX_JAR_BYTES}, cannot be read, its hash
     *                          differs from {@code expectedSha256} (both are named), or the entry
     *                          cannot be written
     */
    public String put(Path jar, String shownAs, String expectedSha256) {
        String shown = Printable.of(shownAs);
        String actual = FunctionPackage.sha256(jar, shown, FunctionPackage.MAX_JAR_BYTES);
        if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(actual)) {
            throw new PackageException("package " + shown + " has SHA-256 " + actual + " but the deployment expects "
                    + Printable.of(expectedSha256.toLowerCase(Locale.ROOT)) + "; it is not the jar the deployment names");
        }
        if (contains(actual)) {
            return actual;
        }
        Incoming in = incoming();
        try {
            try (InputStream source = Files.newInputStream(jar)) {
                source.transferTo(in.output());
            }
            in.commit(actual, "package " + shown + " changed while it was copied into the package store");
            return actual;
        } catch (IOException e) {
            throw new PackageException("cannot store package " + shown + " in " + entries + ": " + InputFiles.describe(e), e);
        } finally {
            in.discard();
        }
    }

    /**
     * The path of the entry for {@code sha256}, whether it exists or not.
     *
     * @throws IllegalArgumentException when {@code sha256} is not 64 hex digits
     */
    public Path path(String sha256) {
        String sha = Objects.requireNonNull(sha256, "sha256").toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(sha).matches()) {
            throw new IllegalArgumentException("'" + Printable.of(sha256) + "' is not a SHA-256 (64 hex digits)");
        }
        return entries.resolve(sha + SUFFIX);
    }

    /**
     * Whether the store holds an intact jar with hash {@code sha256}: the entry is read and hashed
     * again. An entry whose bytes no longer have its hash is removed (and {@code false} returned),
     * so that the next {@link #put} or fetch writes it whole again.
     *
     * @throws IllegalArgumentException when {@code sha256} is not 64 hex digits
     */
    public boolean contains(String sha256) {
        Path entry = path(sha256);
        if (!Files.isRegularFile(entry)) {
            return false;
        }
        String actual;
        try {
            actual = FunctionPackage.sha256(entry, entry.toString(), FunctionPackage.MAX_JAR_BYTES);
        } catch (PackageException unreadable) {
            actual = null;
        }
        if (sha256.equalsIgnoreCase(actual)) {
            return true;
        }
        try {
            Files.deleteIfExists(entry);
        } catch (IOException e) {
            throw new PackageException("package store entry " + entry + " is corrupt (its bytes no longer have that"
                    + " SHA-256) and cannot be removed: " + InputFiles.describe(e), e);
        }
        return false;
    }

    /**
     * Removes every entry whose hash is not in {@code keep}, and the temporary files an interrupted
     * write left behind; called by whoever knows which deployments are kept (their packages'
     * hashes). Files that are not entries of the store are left alone.
     *
     * @return the hashes of the entries removed, sorted
     * @throws PackageException when the directory cannot be listed or an entry removed
     */
    public Set<String> prune(Set<String> keep) {
        Set<String> kept = new TreeSet<>();
        keep.forEach(k -> kept.add(k.toLowerCase(Locale.ROOT)));
        Set<String> removed = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(entries)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(TEMP_SUFFIX)) {
                    Files.deleteIfExists(file);
                } else if (name.endsWith(SUFFIX)) {
                    String sha = name.substring(0, name.length() - SUFFIX.length());
                    if (SHA256.matcher(sha).matches() && !kept.contains(sha)) {
                        Files.deleteIfExists(file);
                        removed.add(sha);
                    }
                }
            }
            forceDirectory();
        } catch (IOException e) {
            throw new PackageException("cannot prune the package store " + entries + ": " + InputFiles.describe(e), e);
        }
        return removed;
    }

    /** A new temporary file in the store to write a jar into; see {@link Incoming}. */
    Incoming incoming() {
        try {
            Path temp = posix
                    ? Files.createTempFile(entries, ".", TEMP_SUFFIX, PosixFilePermissions.asFileAttribute(OWNER_FILE))
                    : Files.createTempFile(entries, ".", TEMP_SUFFIX);
            return new Incoming(temp);
        } catch (IOException e) {
            throw new PackageException("cannot write to the package store " + entries + ": " + InputFiles.describe(e), e);
        }
    }

    /**
     * A jar being written into the store: its bytes go to a temporary file and into a SHA-256, and
     * {@link #commit} makes it an entry only when the hash is the one expected. Owned by one thread.
     */
    final class Incoming {
        private final Path temp;
        private final FileChannel channel;
        private final MessageDigest digest;
        private final OutputStream output;
        private long size;
        private boolean committed;

        private Incoming(Path temp) throws IOException {
            this.temp = temp;
            this.channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
            OutputStream file = Channels.newOutputStream(channel);
            this.output = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    size += len;
                    if (size > FunctionPackage.MAX_JAR_BYTES) {
                        throw InputFiles.grew(FunctionPackage.MAX_JAR_BYTES);
                    }
                    digest.update(b, off, len);
                    file.write(b, off, len);
                }
            };
        }

        /** Where to write the jar's bytes (at most {@link FunctionPackage#MAX_JAR_BYTES}). */
        OutputStream output() {
            return output;
        }

        /** The bytes written so far. */
        long size() {
            return size;
        }

        /** The SHA-256 of what was written, 64 lower-case hex digits; call once, when all is written. */
        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }

        /**
         * Forces the file to disk, renames it to the entry for {@code sha256} and forces the
         * directory, or, when what was written has another hash, throws {@link PackageException}
         * with {@code mismatch} followed by both hashes.
         */
        void commit(String sha256, String mismatch) throws IOException {
            String actual = sha256();
            if (!actual.equalsIgnoreCase(sha256)) {
                throw new PackageException(mismatch + " (it has SHA-256 " + actual + ", expected "
                        + sha256.toLowerCase(Locale.ROOT) + ")");
            }
            channel.force(true);
            channel.close();
            Path entry = path(sha256);
            try {
                Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException notAtomic) {
                Files.move(temp, entry, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
            forceDirectory();
        }

        /** Closes and deletes the temporary file unless it was committed; never throws. */
        void discard() {
            try {
                channel.close();
                if (!committed) {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException e) {
                // A leftover temporary file is removed by the next prune().
            }
        }
    }

    /** Forces the directory's entries (a rename) to disk, where the platform can open a directory. */
    private void forceDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(entries, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory; its renames are durable through NTFS's journal.
        }
    }

    @Override
    public String toString() {
        return "PackageStore[" + entries + "]";
    }
}
