package io.edgefn.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * A host's data directory, locked for as long as the host runs so two hosts never share one
 * offline buffer. The lock is an OS file lock, released by the OS if the process dies.
 *
 * <p>Layout: {@code lock} (holds the owner's pid), {@code buffer/} (the offline buffer),
 * {@code packages/} (the content-addressed package store, {@code packages/sha256/<hash>.jar}: see
 * {@link #packages()} and {@link io.edgefn.deploy.PackageStore}), {@code http.port} (the running
 * host's management port), {@code http.scheme} ({@code http} or {@code https}, beside it) and
 * {@code management.token} (the bearer token every management call but {@code GET /health} asks
 * for; owner-only, made on first start and kept across restarts).
 *
 * <p>Thread-safe for what it does: the lock holder alone writes the files in it.
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
        publishHttpPort(port, "http");
    }

    /**
     * Writes {@code port} to {@code http.port} and {@code scheme} ({@code http} or {@code https})
     * to {@code http.scheme}, so that clients find the running host's management API and know
     * whether to speak TLS to it; both removed again on close.
     */
    public void publishHttpPort(int port, String scheme) {
        try {
            Files.writeString(root.resolve(HTTP_SCHEME_FILE), scheme);
            Files.writeString(root.resolve(HTTP_PORT_FILE), Integer.toString(port));
        } catch (IOException e) {
            throw new HostException("cannot write " + root.resolve(HTTP_PORT_FILE) + ": " + e.getMessage(), e);
        }
    }

    /** The file a running host's management API scheme ({@code http} or {@code https}) is written to. */
    public static final String HTTP_SCHEME_FILE = "http.scheme";

    /** The file a running host's management port is written to. */
    public static final String HTTP_PORT_FILE = "http.port";

    /** The file holding the management API's bearer token (see {@link #managementToken()}). */
    public static final String MANAGEMENT_TOKEN_FILE = "management.token";

    /** Random bytes in a management token: 256 bits, beyond guessing. */
    private static final int TOKEN_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    /**
     * The management API's bearer token: read from {@code management.token}, or, when that does
     * not exist yet (or does not hold a token), made — 32 bytes from {@link SecureRandom}, Base64url
     * without padding — and written there owner-only ({@code 0600}). The file is written whole
     * to a temporary file created with those permissions and renamed over the name, so no reader
     * ever sees it half-written or readable by others. An existing file readable by group or
     * others is narrowed to owner-only. The same token serves every start on this directory, so
     * scripts keep working across restarts; delete the file to make a new one.
     *
     * @throws HostException naming the file, when it cannot be read or written
     */
    public String managementToken() {
        return token(root, root.resolve(MANAGEMENT_TOKEN_FILE), true, "the management API's token");
    }

    /**
     * The bearer token of function {@code function}'s HTTP paths when they are reachable from
     * other machines (see docs/management-api.md): read from {@code function-<name>.token} in the
     * directory, or made there on first need, owner-only, like {@link #managementToken()}. The
     * token opens that function's {@code /fn/<name>/} paths only: not the management API, not
     * another function's paths.
     *
     * @throws HostException naming the file, when it cannot be read or written
     */
    public String functionToken(String function) {
        return functionToken(root, function);
    }

    /**
     * As {@link #functionToken(String)}, on the data directory {@code root} without locking it
     * ({@code edgefn token --function} reads it while the host runs). Two makers racing make one
     * token: the first file to be renamed into place wins, the other maker reads it.
     *
     * @throws IllegalArgumentException when {@code function} is not a function name
     */
    public static String functionToken(Path root, String function) {
        return token(root, functionTokenFile(root, function), false, "function " + function + "'s HTTP token");
    }

    /** The file of {@code function}'s HTTP token in the data directory {@code root}. */
    public static Path functionTokenFile(Path root, String function) {
        if (function == null || !function.matches("[A-Za-z][A-Za-z0-9._-]{0,127}")) {
            throw new IllegalArgumentException("'" + function + "' is not a function name");
        }
        return root.resolve("function-" + function + ".token");
    }

    /**
     * The token in {@code file}, or a new one written there owner-only; {@code replace}: a new one
     * replaces a file that holds no token, else the first file in place wins.
     */
    private static String token(Path root, Path file, boolean replace, String what) {
        try {
            if (Files.exists(file)) {
                String existing = Files.readString(file, StandardCharsets.ISO_8859_1).trim();
                if (isToken(existing)) {
                    narrowToOwner(root, file);
                    return existing;
                }
                if (!replace) {
                    throw new HostException(file + " does not hold a token (32 to 256 Base64url characters): delete it"
                            + " to make a new one", (Throwable) null);
                }
            }
            byte[] random = new byte[TOKEN_BYTES];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            String prefix = file.getFileName().toString();
            Path temp = posix(root) ? Files.createTempFile(root, prefix, ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY)) : Files.createTempFile(root, prefix, ".tmp");
            try {
                try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    out.write(ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.US_ASCII)));
                    out.force(true);
                }
                if (replace) {
                    try {
                        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException notAtomic) {
                        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                } else {
                    try {
                        // A hard link fails when the name exists: the first maker's token stays.
                        Files.createLink(file, temp);
                    } catch (java.nio.file.FileAlreadyExistsException raced) {
                        return token(root, file, false, what);
                    }
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            return token;
        } catch (IOException | UnsupportedOperationException e) {
            throw new HostException("cannot make " + what + " in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code text} can serve as a token: 32 to 256 Base64url characters (one this class
     * makes has 43; an operator may put a longer one of their own in the file).
     */
    private static boolean isToken(String text) {
        return text.length() >= 32 && text.length() <= 256 && text.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_');
    }

    private static boolean posix(Path root) {
        return root.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void narrowToOwner(Path root, Path file) throws IOException {
        if (posix(root) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    /** The directory. */
    public Path root() {
        return root;
    }

    /**
     * The directory of the host's package store ({@link io.edgefn.deploy.PackageStore#open}): every
     * package jar a deployment ran, kept by SHA-256 under {@code sha256/}.
     */
    public Path packages() {
        return root.resolve(PACKAGES);
    }

    /** The package store's directory in a data directory (see {@link #packages()}). */
    public static final String PACKAGES = "packages";

    /** Where the offline buffer lives. */
    public Path buffer() {
        return root.resolve("buffer");
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(root.resolve(HTTP_PORT_FILE));
            Files.deleteIfExists(root.resolve(HTTP_SCHEME_FILE));
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // The OS releases the lock with the process anyway.
        }
    }
}
