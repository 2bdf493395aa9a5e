package io.edgefn.hub.twin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.hub.internal.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own copy of every identity's twin, so that devices read and patch their twins
 * while the cloud is away.
 *
 * <p>Each twin is one file, {@code {dataDir}/twins/{deviceId}.json} or
 * {@code {dataDir}/twins/{deviceId}~{moduleId}.json} (ids URL-encoded, so {@code ~} and path
 * characters never clash), holding exactly what a twin GET answers. A change is written to a temp
 * file (owner-only from the start), fsynced and renamed over the old one before it is visible, so
 * a crash leaves the old twin or the new one. All twins are read when the store opens; reads are
 * then served from memory.
 *
 * <p>Threading: thread-safe. {@link #get} never blocks on I/O and may be called on an event loop;
 * {@link #patchReported} and {@link #applyDesired} write and fsync a file and must not be (the
 * facade runs them on its I/O executor). Changes to one twin are serialised by a lock of that
 * twin; different twins change in parallel.
 */
public final class TwinStore {

    private static final Logger LOG = LoggerFactory.getLogger(TwinStore.class);
    /** The directory under the data directory. */
    public static final String DIRECTORY = "twins";

    private final Path directory;
    private final ConcurrentHashMap<TwinId, Entry> twins = new ConcurrentHashMap<>();
    private final LongAdder staleDesired = new LongAdder();

    /** One twin: its lock and its current document. */
    private static final class Entry {
        volatile TwinDocument document = TwinDocument.empty();
    }

    private TwinStore(Path directory) {
        this.directory = directory;
    }

    /**
     * Opens the store under {@code dataDirectory}, creating {@code twins/} owner-only if missing
     * and reading every twin in it. A file that cannot be read is logged and skipped (that twin
     * starts empty). Blocks on I/O.
     *
     * @throws UncheckedIOException when the directory cannot be created or listed
     */
    public static TwinStore open(Path dataDirectory) {
        Path dir = dataDirectory.toAbsolutePath().normalize().resolve(DIRECTORY);
        TwinStore store = new TwinStore(dir);
        try {
            OwnerOnlyFiles.createDirectory(dir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
                for (Path file : files) {
                    store.load(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the twin store in " + dir + ": " + e.getMessage(), e);
        }
        return store;
    }

    /** A store that keeps twins in memory only (tests, and a hub without a data directory). */
    public static TwinStore inMemory() {
        return new TwinStore(null);
    }

    private void load(Path file) {
        String name = file.getFileName().toString();
        try {
            TwinId id = idOf(name.substring(0, name.length() - ".json".length()));
            Entry entry = new Entry();
            entry.document = TwinDocument.parse(Files.readAllBytes(file), file.toString());
            twins.put(id, entry);
        } catch (IOException | RuntimeException e) {
            LOG.warn("twins: skipped {}: {}", file, e.getMessage());
        }
    }

    /** The twin of {@code id}: an empty twin (versions 0) if nothing was ever written. Never blocks. */
    public TwinDocument get(TwinId id) {
        Entry entry = twins.get(id);
        return entry == null ? TwinDocument.empty() : entry.document;
    }

    /**
     * Applies a reported-properties merge patch (null deletes) and returns the new twin, its
     * reported version one more; durable when it returns. Blocks on I/O.
     *
     * @throws TwinException 400 for malformed JSON or a reserved name, 413 for a size limit; the
     *                       twin is unchanged
     * @throws UncheckedIOException when the twin cannot be written (it is unchanged)
     */
    public TwinDocument patchReported(TwinId id, byte[] patchJson) {
        ObjectNode patch = Json.parseObject(patchJson, "the reported properties patch");
        TwinLimits.checkPatch(patch, "reported");
        Entry entry = entry(id);
        synchronized (entry) {
            ObjectNode merged = entry.document.reportedNode().deepCopy();
            Json.mergePatch(merged, patch);
            TwinLimits.checkSide(merged, "reported");
            TwinDocument next = entry.document.withReported(merged);
            write(id, next);
            entry.document = next;
            return next;
        }
    }

    /**
     * Applies a desired-properties merge patch from the cloud carrying {@code version}, if it is
     * newer than the twin's desired version; an older or duplicate one is ignored and counted
     * ({@link #staleDesiredPatches()}). Blocks on I/O.
     *
     * @return the new twin, or empty when the patch was stale
     * @throws TwinException 400/413 as for {@link #patchReported}
     */
    public Optional<TwinDocument> applyDesired(TwinId id, byte[] patchJson, long version) {
        ObjectNode patch = Json.parseObject(patchJson, "the desired properties patch");
        patch.remove(TwinDocument.VERSION); // IoT Hub puts the version in the patch too
        TwinLimits.checkPatch(patch, "desired");
        Entry entry = entry(id);
        synchronized (entry) {
            if (version <= entry.document.desiredVersion()) {
                staleDesired.increment();
                LOG.debug("twins: {}: desired patch version {} ignored (the twin has {})", id, version,
                        entry.document.desiredVersion());
                return Optional.empty();
            }
            ObjectNode merged = entry.document.desiredNode().deepCopy();
            Json.mergePatch(merged, patch);
            TwinLimits.checkSide(merged, "desired");
            TwinDocument next = entry.document.withDesired(merged, version);
            write(id, next);
            entry.document = next;
            return Optional.of(next);
        }
    }

    /** Desired patches ignored because their version was not newer than the twin's. */
    public long staleDesiredPatches() {
        return staleDesired.sum();
    }

    private Entry entry(TwinId id) {
        return twins.computeIfAbsent(id, i -> new Entry());
    }

    private void write(TwinId id, TwinDocument document) {
        if (directory == null) {
            return;
        }
        try {
            OwnerOnlyFiles.writeAtomically(directory.resolve(fileName(id)), document.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the twin of " + id + " in " + directory + ": " + e.getMessage(), e);
        }
    }

    static String fileName(TwinId id) {
        String device = URLEncoder.encode(id.deviceId(), StandardCharsets.UTF_8);
        return (id.moduleId() == null ? device : device + "~" + URLEncoder.encode(id.moduleId(), StandardCharsets.UTF_8)) + ".json";
    }

    static TwinId idOf(String stem) {
        int tilde = stem.indexOf('~');
        if (tilde < 0) {
            return TwinId.device(URLDecoder.decode(stem, StandardCharsets.UTF_8));
        }
        return TwinId.module(URLDecoder.decode(stem.substring(0, tilde), StandardCharsets.UTF_8),
                URLDecoder.decode(stem.substring(tilde + 1), StandardCharsets.UTF_8));
    }

}
