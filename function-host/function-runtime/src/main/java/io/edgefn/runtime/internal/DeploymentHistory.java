package io.edgefn.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.deploy.Deployment;
import io.edgefn.runtime.DeploymentRecord;
import io.edgefn.runtime.DeploymentState;
import io.edgefn.runtime.Deployments;
import io.edgefn.runtime.HostException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A host's deployment history on disk, in its data directory's {@code deployments/}: {@code
 * history.json} (the entries, oldest first, and the next sequence number) and one {@code
 * <sequence>.json} per entry holding the document as it was applied, with the directory its
 * relative package files resolve against. Every write goes to a temporary file first and is
 * moved over the old one atomically, so a crash leaves the old history or the new, never half
 * of one. The last {@link Deployments#HISTORY_LIMIT} entries are kept; older documents are deleted.
 *
 * <p>Thread-safe (its methods are synchronized); one host writes it at a time (the data
 * directory is locked).
 */
public final class DeploymentHistory {

    /** The directory in the data directory. */
    public static final String DIRECTORY = "deployments";
    private static final String INDEX = "history.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final List<Entry> entries = new ArrayList<>();
    private long next = 1;

    /** An entry and where its document's relative package files resolve. */
    private record Entry(DeploymentRecord record, String baseDirectory) {
    }

    private DeploymentHistory(Path directory) {
        this.directory = directory;
    }

    /**
     * The history of data directory {@code dataDirectory} (empty when it has none yet).
     *
     * @throws HostException when the history exists but cannot be read
     */
    public static DeploymentHistory open(Path dataDirectory) {
        DeploymentHistory h = new DeploymentHistory(dataDirectory.resolve(DIRECTORY));
        Path index = h.directory.resolve(INDEX);
        if (!Files.exists(index)) {
            return h;
        }
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(index));
            h.next = root.path("next").asLong(1);
            for (JsonNode e : root.path("entries")) {
                List<String> reasons = new ArrayList<>();
                e.path("reasons").forEach(r -> reasons.add(r.asText()));
                h.entries.add(new Entry(new DeploymentRecord(e.path("sequence").asLong(),
                        e.hasNonNull("version") ? e.get("version").asText() : null,
                        DeploymentState.valueOf(e.path("state").asText()), Instant.parse(e.path("appliedAt").asText()),
                        e.path("documentSha256").asText(), reasons), e.path("baseDirectory").asText()));
            }
            return h;
        } catch (IOException | RuntimeException e) {
            throw new HostException("cannot read the deployment history " + index + ": " + e.getMessage()
                    + "; move it away to start afresh (the host then needs --deployment)", e);
        }
    }

    /** Every entry, oldest first. */
    public synchronized List<DeploymentRecord> records() {
        return entries.stream().map(Entry::record).toList();
    }

    /** The entry of the deployment that runs (the last one not rolled back), if any. */
    public synchronized Optional<DeploymentRecord> current() {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).record().state() != DeploymentState.ROLLED_BACK) {
                return Optional.of(entries.get(i).record());
            }
        }
        return Optional.empty();
    }

    /** The entry applied before {@code record} (not rolled back), if any. */
    public synchronized Optional<DeploymentRecord> before(DeploymentRecord record) {
        DeploymentRecord found = null;
        for (Entry e : entries) {
            if (e.record().sequence() >= record.sequence()) {
                break;
            }
            if (e.record().state() != DeploymentState.ROLLED_BACK) {
                found = e.record();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The latest entry labelled {@code version} that was applied (not rolled back), if any. */
    public synchronized Optional<DeploymentRecord> latest(String version) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            DeploymentRecord r = entries.get(i).record();
            if (r.state() != DeploymentState.ROLLED_BACK && version.equals(r.version())) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The SHA-256 of {@code deployment}'s document as the history stores it. */
    public static String sha256(Deployment deployment) {
        return sha256(text(deployment));
    }

    private static byte[] text(Deployment deployment) {
        return deployment.document().toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Adds {@code deployment} as a new entry in {@code state}, stores its document, and returns the entry. */
    public synchronized DeploymentRecord add(Deployment deployment, DeploymentState state, Instant at, List<String> reasons) {
        byte[] document = text(deployment);
        DeploymentRecord record = new DeploymentRecord(next, deployment.version(), state, at, sha256(document), reasons);
        try {
            Files.createDirectories(directory);
            write(directory.resolve(record.sequence() + ".json"), document);
        } catch (IOException e) {
            throw new HostException("cannot store deployment " + deployment.origin() + " in " + directory + ": "
                    + e.getMessage(), e);
        }
        next++;
        entries.add(new Entry(record, deployment.baseDirectory().toString()));
        while (entries.size() > Deployments.HISTORY_LIMIT) {
            Entry dropped = entries.removeFirst();
            try {
                Files.deleteIfExists(directory.resolve(dropped.record().sequence() + ".json"));
            } catch (IOException e) {
                // An orphan document harms nothing; the index no longer names it.
            }
        }
        save();
        return record;
    }

    /** Replaces the entry with {@code record}'s sequence by {@code record}. */
    public synchronized void update(DeploymentRecord record) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).record().sequence() == record.sequence()) {
                entries.set(i, new Entry(record, entries.get(i).baseDirectory()));
            }
        }
        save();
    }

    /**
     * The stored document of {@code record}, parsed again.
     *
     * @throws HostException when it is gone or no longer parses
     */
    public synchronized Deployment load(DeploymentRecord record) {
        Entry entry = entries.stream().filter(e -> e.record().sequence() == record.sequence()).findFirst()
                .orElseThrow(() -> new HostException("deployment #" + record.sequence() + " is no longer in the history",
                        (Throwable) null));
        Path file = directory.resolve(record.sequence() + ".json");
        try {
            return Deployment.parse(Files.readAllBytes(file), "deployment " + (record.version() == null ? "#"
                    + record.sequence() : record.version()) + " of the history (" + file + ")", Path.of(entry.baseDirectory()));
        } catch (IOException e) {
            throw new HostException("cannot read " + file + " of the deployment history: " + e.getMessage(), e);
        }
    }

    private void save() {
        ObjectNode root = JSON.createObjectNode().put("next", next);
        ArrayNode list = root.putArray("entries");
        for (Entry e : entries) {
            DeploymentRecord r = e.record();
            ObjectNode o = list.addObject().put("sequence", r.sequence()).put("version", r.version())
                    .put("state", r.state().name()).put("appliedAt", r.appliedAt().toString())
                    .put("documentSha256", r.documentSha256()).put("baseDirectory", e.baseDirectory());
            ArrayNode reasons = o.putArray("reasons");
            r.reasons().forEach(reasons::add);
        }
        try {
            Files.createDirectories(directory);
            write(directory.resolve(INDEX), root.toPrettyString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new HostException("cannot write the deployment history in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code bytes} to a temporary file beside {@code file}, forces it to disk and moves it over {@code file}. */
    private static void write(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
