package io.edgefn.deploy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The deployment signing keys a gateway trusts: one PEM file per key in a directory of its data
 * directory ({@code trust/}), named by the key's id. A gateway that trusts any key refuses
 * deployments no trusted key signed (see {@link SignaturePolicy}).
 *
 * <p>A snapshot: {@link #open} reads the directory once. {@link #add} writes atomically, so a host
 * reading at the same time sees a key whole or not at all. Immutable once read; thread-safe.
 */
public final class TrustedKeys {

    /** The directory's name in a gateway's data directory. */
    public static final String DIRECTORY = "trust";

    private final Path directory;
    private final Map<String, PublicKey> byId;

    private TrustedKeys(Path directory, Map<String, PublicKey> byId) {
        this.directory = directory;
        this.byId = Collections.unmodifiableMap(byId);
    }

    /** The keys trusted by the gateway whose data directory is {@code dataDirectory} (none when it has no trust directory). */
    public static TrustedKeys of(Path dataDirectory) throws IOException {
        return open(dataDirectory.resolve(DIRECTORY));
    }

    /** Reads every {@code *.pub} in {@code directory}; an unreadable key file fails, naming it. */
    public static TrustedKeys open(Path directory) throws IOException {
        Map<String, PublicKey> keys = new TreeMap<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.pub")) {
                for (Path f : files) {
                    PublicKey key = SigningKeys.readPublic(f);
                    keys.put(SigningKeys.keyId(key), key);
                }
            }
        }
        return new TrustedKeys(directory, keys);
    }

    /** No key trusted: unsigned deployments run. */
    public boolean isEmpty() {
        return byId.isEmpty();
    }

    /** The trusted key with id {@code keyId}, or {@code null}. */
    public PublicKey get(String keyId) {
        return byId.get(keyId);
    }

    /** The ids of the trusted keys, sorted. */
    public java.util.Set<String> ids() {
        return byId.keySet();
    }

    /**
     * Trusts {@code key} from now on: writes it into the directory (created owner-only if missing)
     * and returns the new snapshot. Trusting a key twice changes nothing.
     */
    public TrustedKeys add(PublicKey key) throws IOException {
        String id = SigningKeys.keyId(key);
        if (!Files.isDirectory(directory)) {
            try {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(directory);
            }
        }
        Path file = directory.resolve(id.replace(':', '-') + ".pub");
        Path tmp = Files.createTempFile(directory, "key", ".tmp");
        Files.writeString(tmp, SigningKeys.pem(key));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Map<String, PublicKey> next = new TreeMap<>(byId);
        next.put(id, key);
        return new TrustedKeys(directory, next);
    }
}
