package io.edgefn.hub.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identities of the leaf devices and modules allowed to connect to the gateway, kept in
 * {@code {dataDir}/identity/registry.json} (owner-only, 0600).
 *
 * <p>Changes ({@link #add}, {@link #remove}) hold the identity lock ({@code identity/.lock}), read
 * the file afresh, and replace it atomically (temp file, fsync, rename), so {@code edgefn devices}
 * commands and a running host may change it at once without losing each other's changes.
 *
 * <p>Live reload: a running host sees changes made by another process without a restart.
 * {@link #find} looks at the file's identity (inode), modification time and size at most every
 * {@link #RESTAT_INTERVAL} (200 ms, on the injected clock) and reads the file again when they
 * changed; {@link #list} and {@link #reload} look every time. A file that is malformed when read
 * again is ignored with one warning naming the file and the problem, and the last good identities
 * stay in use; one that is malformed when opened, or when about to be changed, is an error.
 *
 * <p>Threading: thread-safe. {@link #find} may read the file, so call it off any event loop.
 */
public final class DeviceRegistry {
    /** The file name under {@code identity/}. */
    public static final String FILE = "registry.json";
    /** How often at most {@link #find} looks at whether the file changed: 200 ms. */
    public static final Duration RESTAT_INTERVAL = Duration.ofMillis(200);
    /** Bytes of randomness in a SAS key: 32. */
    public static final int KEY_BYTES = 32;

    private static final Logger log = LoggerFactory.getLogger(DeviceRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What identifies one version of the file: a rename gives a new inode even within one mtime tick. */
    private record Stamp(Object fileKey, FileTime modified, long size) {
    }

    private final Path dataDir;
    private final Path file;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final Object monitor = new Object();
    /** By client id ({@code deviceId} or {@code deviceId/moduleId}); immutable, replaced whole. Guarded by monitor. */
    private Map<String, Identity> identities;
    /** The version of the file {@link #identities} came from, or null if there was none. Guarded by monitor. */
    private Stamp stamp;
    /** A malformed version already warned about. Guarded by monitor. */
    private Stamp ignored;
    /** When the file was last looked at. Guarded by monitor. */
    private Instant lastLook;

    private DeviceRegistry(Path dataDir, InstantSource clock, RandomGenerator random) {
        this.dataDir = dataDir;
        this.file = IdentityFiles.directory(dataDir).resolve(FILE);
        this.clock = clock;
        this.random = random;
    }

    /**
     * Opens the registry of {@code dataDir} with the system clock and a {@link SecureRandom}; creates
     * nothing until an identity is added.
     *
     * @throws IdentityException if the file exists but cannot be read or is malformed
     */
    public static DeviceRegistry open(Path dataDir) {
        return open(dataDir, InstantSource.system(), new SecureRandom());
    }

    /**
     * Opens the registry of {@code dataDir}.
     *
     * @param clock for the re-stat interval and {@link Identity#createdAt()}
     * @param random the source of SAS keys: a {@link SecureRandom} outside tests
     * @throws IdentityException if the file exists but cannot be read or is malformed
     */
    public static DeviceRegistry open(Path dataDir, InstantSource clock, RandomGenerator random) {
        DeviceRegistry registry = new DeviceRegistry(Objects.requireNonNull(dataDir, "dataDir"),
                Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(random, "random"));
        synchronized (registry.monitor) {
            try {
                Stamp stamp = registry.stampOrNull();
                registry.install(stamp == null ? Map.of() : registry.read(), stamp);
            } catch (IOException e) {
                throw new IdentityException("cannot read " + registry.file + ": " + e.getMessage(), e);
            }
        }
        return registry;
    }

    /** {@code {dataDir}/identity/registry.json}. */
    public Path file() {
        return file;
    }

    /**
     * Adds an identity with two new SAS keys, or, given a thumbprint, an X.509 identity.
     *
     * @param deviceId the device's id; for a module, the gateway's id (the caller passes it)
     * @param moduleIdOrNull the module's id, or null to add a device
     * @param x509ThumbprintOrNull a SHA-1 or SHA-256 thumbprint in hex (colons allowed), or null for SAS
     * @return the new identity, with its keys
     * @throws IdentityException if an id or the thumbprint is invalid, the identity exists already,
     *     or the file is malformed or cannot be written
     */
    public Identity add(String deviceId, String moduleIdOrNull, String x509ThumbprintOrNull) {
        Ids.require(deviceId, "device id");
        if (moduleIdOrNull != null) {
            Ids.require(moduleIdOrNull, "module id");
        }
        Identity identity = x509ThumbprintOrNull != null
                ? new Identity(deviceId, moduleIdOrNull, null, null, x509ThumbprintOrNull, clock.instant())
                : new Identity(deviceId, moduleIdOrNull, newKey(), newKey(), null, clock.instant());
        return IdentityFiles.withLock(dataDir, "add " + describe(deviceId, moduleIdOrNull), () -> {
            Map<String, Identity> current = readForChange();
            if (current.containsKey(identity.clientId())) {
                throw new IdentityException(describe(deviceId, moduleIdOrNull) + " is already registered in " + file
                        + "; remove it first to replace it");
            }
            Map<String, Identity> next = new LinkedHashMap<>(current);
            next.put(identity.clientId(), identity);
            write(next);
            return identity;
        });
    }

    /**
     * Removes an identity.
     *
     * @return whether it was registered
     * @throws IdentityException if the file is malformed or cannot be written
     */
    public boolean remove(String deviceId, String moduleIdOrNull) {
        Objects.requireNonNull(deviceId, "deviceId");
        return IdentityFiles.withLock(dataDir, "remove " + describe(deviceId, moduleIdOrNull), () -> {
            Map<String, Identity> current = readForChange();
            String key = clientId(deviceId, moduleIdOrNull);
            if (!current.containsKey(key)) {
                return false;
            }
            Map<String, Identity> next = new LinkedHashMap<>(current);
            next.remove(key);
            write(next);
            return true;
        });
    }

    /** Every identity, in the order they were added; the file is looked at first. */
    public List<Identity> list() {
        synchronized (monitor) {
            refresh();
            return List.copyOf(identities.values());
        }
    }

    /**
     * The identity of a device ({@code moduleIdOrNull} null) or a module, if registered. Looks at
     * whether the file changed when {@link #RESTAT_INTERVAL} passed since it last looked.
     */
    public Optional<Identity> find(String deviceId, String moduleIdOrNull) {
        synchronized (monitor) {
            Instant now = clock.instant();
            if (lastLook == null || !now.isBefore(lastLook.plus(RESTAT_INTERVAL))) {
                refresh();
            }
            return Optional.ofNullable(identities.get(clientId(deviceId, moduleIdOrNull)));
        }
    }

    /** Looks at the file now and reads it again if it changed (as {@link #find} does every 200 ms). */
    public void reload() {
        synchronized (monitor) {
            refresh();
        }
    }

    /** Reads the file again if it changed; keeps the last good identities if it is malformed. Holds monitor. */
    private void refresh() {
        lastLook = clock.instant();
        Stamp now;
        try {
            now = stampOrNull();
        } catch (IOException e) {
            log.warn("cannot look at {} ({}); still using the {} identities read before", file, e.getMessage(), identities.size());
            return;
        }
        if (Objects.equals(now, stamp) || (now != null && now.equals(ignored))) {
            return;
        }
        if (now == null) {
            install(Map.of(), null);
            return;
        }
        try {
            install(read(), now);
        } catch (IdentityException | IOException e) {
            ignored = now;
            log.warn("ignoring a malformed change to the device registry: {}; still using the {} identities read before",
                    e.getMessage(), identities.size());
        }
    }

    private void install(Map<String, Identity> read, Stamp from) {
        identities = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(read));
        stamp = from;
        ignored = null;
        lastLook = clock.instant();
    }

    private Stamp stampOrNull() throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.fileKey(), a.lastModifiedTime(), a.size());
        } catch (NoSuchFileException absent) {
            return null;
        }
    }

    /** The file as it is now, for a change; under the identity lock. Malformed is an error: it is not overwritten. */
    private Map<String, Identity> readForChange() throws IOException {
        synchronized (monitor) {
            Stamp now = stampOrNull();
            Map<String, Identity> current = now == null ? Map.of() : read();
            install(current, now);
            return current;
        }
    }

    private void write(Map<String, Identity> next) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ArrayNode array = root.putArray("identities");
        for (Identity i : next.values()) {
            ObjectNode node = array.addObject();
            node.put("deviceId", i.deviceId());
            if (i.moduleId() != null) {
                node.put("moduleId", i.moduleId());
            }
            if (i.primaryKey() != null) {
                node.put("primaryKey", i.primaryKey());
                node.put("secondaryKey", i.secondaryKey());
            }
            if (i.x509Thumbprint() != null) {
                node.put("x509Thumbprint", i.x509Thumbprint());
            }
            node.put("createdAt", i.createdAt().toString());
        }
        IdentityFiles.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        synchronized (monitor) {
            install(next, stampOrNull());
        }
    }

    /** Parses the file. */
    private Map<String, Identity> read() throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            // Jackson's own location text ("start marker at [Source: REDACTED …]") only adds noise here.
            String problem = e.getOriginalMessage().replaceAll("\\s*\\(start marker at \\[Source: [^\\]]*\\]\\)", "");
            throw new IdentityException(file + " is not valid JSON: " + problem + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        }
        if (root == null || !root.isObject() || !root.path("identities").isArray()) {
            throw new IdentityException(file + " has no \"identities\" array");
        }
        Map<String, Identity> out = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode node : root.get("identities")) {
            String where = file + ": identities[" + index++ + "]";
            Identity identity;
            try {
                identity = new Identity(text(node, "deviceId", true, where), text(node, "moduleId", false, where),
                        key(node, "primaryKey", where), key(node, "secondaryKey", where),
                        text(node, "x509Thumbprint", false, where), Instant.parse(text(node, "createdAt", true, where)));
            } catch (DateTimeParseException e) {
                throw new IdentityException(where + ": \"createdAt\" is not an ISO-8601 instant", e);
            } catch (IdentityException e) {
                throw e.getMessage().startsWith(file.toString()) ? e : new IdentityException(where + ": " + e.getMessage(), e);
            }
            if (out.putIfAbsent(identity.clientId(), identity) != null) {
                throw new IdentityException(where + ": " + describe(identity.deviceId(), identity.moduleId())
                        + " appears twice");
            }
        }
        return out;
    }

    private static String text(JsonNode node, String field, boolean required, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IdentityException(where + ": \"" + field + "\" is missing");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new IdentityException(where + ": \"" + field + "\" is not a string");
        }
        return value.asText();
    }

    /** A key field: optional, and if present Base64 (the message never quotes it). */
    private static String key(JsonNode node, String field, String where) {
        String key = text(node, field, false, where);
        if (key != null) {
            try {
                if (Base64.getDecoder().decode(key).length == 0) {
                    throw new IdentityException(where + ": \"" + field + "\" is empty");
                }
            } catch (IllegalArgumentException e) {
                throw new IdentityException(where + ": \"" + field + "\" is not Base64");
            }
        }
        return key;
    }

    private String newKey() {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static String clientId(String deviceId, String moduleIdOrNull) {
        return moduleIdOrNull == null ? deviceId : deviceId + "/" + moduleIdOrNull;
    }

    private static String describe(String deviceId, String moduleIdOrNull) {
        return moduleIdOrNull == null ? "device " + Ids.quote(deviceId) : "module " + Ids.quote(clientId(deviceId, moduleIdOrNull));
    }

    @Override
    public String toString() {
        synchronized (monitor) {
            return "DeviceRegistry[" + file + ", " + identities.size() + " identities]";
        }
    }
}
