package io.edgefn.hub.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Who the gateway is: its device id, the hostname devices reach it by, and the IoT Hub hostname it
 * hands out in connection strings.
 *
 * <p>Kept in {@code {dataDir}/identity/gateway.json}, written atomically (temp file, fsync, rename)
 * and readable by its owner only. The gateway id is recorded on first use and never changes; the
 * hostname changes when a caller passes a different one (the caller then reissues the server
 * certificate: {@link GatewayCertificates#loadOrCreate} does so when the hostname is not covered);
 * the hub hostname is {@code {gatewayId}.edgefn.local} until the upstream link attaches the gateway
 * to a real IoT Hub ({@link #attachToIotHub}).
 *
 * <p>Immutable; the static methods are thread-safe and safe between processes (they hold the
 * identity lock, see {@code identity/.lock}).
 *
 * @param gatewayId the gateway's device id, a valid IoT Hub device id
 * @param hostname the name (or IP address) devices connect to: {@code GatewayHostName=} in their
 *     connection strings, and the server certificate's subject
 * @param hubHostName the {@code HostName=} the gateway hands out: the IoT Hub's hostname when
 *     attached to one, else {@code {gatewayId}.edgefn.local}
 */
public record GatewayIdentity(String gatewayId, String hostname, String hubHostName) {
    /** The file name under {@code identity/}. */
    public static final String FILE = "gateway.json";
    /** The domain of the hub hostname of a gateway not attached to an IoT Hub. */
    public static final String LOCAL_HUB_DOMAIN = ".edgefn.local";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Checks the three names.
     *
     * @throws IdentityException if the gateway id is not a valid IoT Hub device id, or a hostname is
     *     empty or has characters no hostname or IP address has
     */
    public GatewayIdentity {
        Ids.require(gatewayId, "gateway id");
        requireHostname(hostname, "hostname");
        requireHubHostName(hubHostName);
    }

    /** Whether {@link #hubHostName()} is a real IoT Hub's, not the local {@code {gatewayId}.edgefn.local}. */
    public boolean attachedToIotHub() {
        return !hubHostName.equals(localHubHostName(gatewayId));
    }

    /** {@code {gatewayId}.edgefn.local}: the hub hostname of a gateway not attached to an IoT Hub. */
    public static String localHubHostName(String gatewayId) {
        return gatewayId + LOCAL_HUB_DOMAIN;
    }

    /** {@code {dataDir}/identity/gateway.json}. */
    public static Path file(Path dataDir) {
        return IdentityFiles.directory(dataDir).resolve(FILE);
    }

    /** The machine's hostname ({@link InetAddress#getLocalHost()}), or {@code localhost} if it has none. */
    public static String machineHostname() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() ? "localhost" : name;
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * The identity recorded in {@code dataDir}, if any; creates nothing.
     *
     * @throws IdentityException if the file exists but cannot be read or is malformed
     */
    public static Optional<GatewayIdentity> load(Path dataDir) {
        Path file = file(dataDir);
        try {
            return Optional.of(read(file));
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IdentityException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The gateway's identity in {@code dataDir}, recorded on first use.
     *
     * <p>First use records {@code gatewayIdIfNew} and {@code hostnameOrNull} (null: the machine's
     * hostname, see {@link #machineHostname()}). Later, {@code gatewayIdIfNew} is ignored (the
     * recorded id stands), and a non-null {@code hostnameOrNull} that differs from the recorded
     * hostname replaces it — the caller then calls {@link GatewayCertificates#loadOrCreate}, which
     * reissues the server certificate for it.
     *
     * @throws IdentityException if an id or hostname is invalid, or the file cannot be read or written
     */
    public static GatewayIdentity loadOrCreate(Path dataDir, String gatewayIdIfNew, String hostnameOrNull) {
        Objects.requireNonNull(dataDir, "dataDir");
        if (hostnameOrNull != null) {
            requireHostname(hostnameOrNull, "hostname");
        }
        Path file = file(dataDir);
        return IdentityFiles.withLock(dataDir, "record the gateway's identity", () -> {
            GatewayIdentity recorded = Files.exists(file) ? read(file) : null;
            if (recorded == null) {
                Ids.require(gatewayIdIfNew, "gateway id");
                GatewayIdentity created = new GatewayIdentity(gatewayIdIfNew,
                        hostnameOrNull != null ? hostnameOrNull : machineHostname(), localHubHostName(gatewayIdIfNew));
                write(file, created);
                return created;
            }
            if (hostnameOrNull != null && !hostnameOrNull.equals(recorded.hostname())) {
                GatewayIdentity changed = new GatewayIdentity(recorded.gatewayId(), hostnameOrNull, recorded.hubHostName());
                write(file, changed);
                return changed;
            }
            return recorded;
        });
    }

    /**
     * Records that the gateway is attached to the IoT Hub {@code iotHubHostName} (null: detached,
     * back to {@code {gatewayId}.edgefn.local}), so that connection strings handed out from now on
     * name it. For the upstream link.
     *
     * @throws IdentityException if no identity is recorded yet, the name is invalid, or the file
     *     cannot be written
     */
    public static GatewayIdentity attachToIotHub(Path dataDir, String iotHubHostName) {
        Path file = file(dataDir);
        return IdentityFiles.withLock(dataDir, "record the gateway's IoT Hub", () -> {
            if (!Files.exists(file)) {
                throw new IdentityException("no gateway identity in " + file + " yet; create it first");
            }
            GatewayIdentity recorded = read(file);
            GatewayIdentity changed = new GatewayIdentity(recorded.gatewayId(), recorded.hostname(),
                    iotHubHostName != null ? iotHubHostName : localHubHostName(recorded.gatewayId()));
            if (!changed.equals(recorded)) {
                write(file, changed);
            }
            return changed;
        });
    }

    private static GatewayIdentity read(Path file) throws IOException {
        JsonNode node;
        try {
            node = JSON.readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IdentityException(file + " is not valid JSON (" + e.getOriginalMessage() + "); fix or remove it", e);
        }
        if (node == null || !node.isObject()) {
            throw new IdentityException(file + " does not hold a JSON object; fix or remove it");
        }
        String gatewayId = text(node, "gatewayId", file);
        String hostname = text(node, "hostname", file);
        String hub = node.path("hubHostName").isTextual() ? node.get("hubHostName").asText() : localHubHostName(gatewayId);
        try {
            return new GatewayIdentity(gatewayId, hostname, hub);
        } catch (IdentityException e) {
            throw new IdentityException(file + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field, Path file) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IdentityException(file + " has no \"" + field + "\" string; fix or remove it");
        }
        return value.asText();
    }

    private static void write(Path file, GatewayIdentity identity) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("gatewayId", identity.gatewayId());
        node.put("hostname", identity.hostname());
        node.put("hubHostName", identity.hubHostName());
        IdentityFiles.writeAtomically(file,
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A hub hostname is only checked for what would break a connection string, a username or a SAS
     * resource: {@code {gatewayId}.edgefn.local} may hold any character of a device id.
     */
    private static void requireHubHostName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IdentityException("invalid hub hostname: it is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == ';' || c == '/' || c == '?' || c == '&') {
                throw new IdentityException("invalid hub hostname " + Ids.quote(name) + ": character at position "
                        + (i + 1) + " is not allowed (no spaces, ';', '/', '?' or '&')");
            }
        }
    }

    /** Letters, digits, {@code . - _} and {@code :} (IPv6), at most 253 characters. */
    private static void requireHostname(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw new IdentityException("invalid " + what + ": it is empty");
        }
        if (name.length() > 253) {
            throw new IdentityException("invalid " + what + " " + Ids.quote(name) + ": longer than 253 characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
                    || c == '_' || c == ':')) {
                throw new IdentityException("invalid " + what + " " + Ids.quote(name) + ": character at position "
                        + (i + 1) + " is not allowed in a hostname or IP address");
            }
        }
    }
}
