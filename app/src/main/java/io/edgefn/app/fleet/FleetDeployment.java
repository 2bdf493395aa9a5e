package io.edgefn.app.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The retained message on {@link FleetTopics#DEPLOYMENT}: a fleet deployment's id, its target,
 * the deployment document exactly as written (so its signature and its line numbers stay the
 * author's), and the jars of its local {@code file} packages inline (Base64). Packages named by
 * {@code url} + {@code sha256} travel in the document only; each gateway fetches them.
 *
 * <pre>{"fleetDeployment": "20261201T010203Z-1a2b3c4d", "publishedAt": "2026-12-01T01:02:03Z",
 *  "target": {"site": ["north"]}, "version": "v2", "document": "{…the deployment JSON…}",
 *  "packages": {"relay": {"file": "relay.jar", "sha256": "…", "base64": "…"}}}</pre>
 *
 * <p>Immutable.
 *
 * @param id          the fleet deployment's id, unique per publication
 * @param publishedAt when it was published (ISO-8601), for people
 * @param version     the document's {@code version}, or null
 * @param target      which gateways apply it: every key's tag must be one of its values; empty = all
 * @param document    the deployment document's UTF-8 text
 * @param packages    the inline jars by package name
 */
public record FleetDeployment(String id, String publishedAt, String version, Map<String, List<String>> target,
                              String document, Map<String, InlinePackage> packages) {

    /** The largest jar carried inline; a larger one is served from a package repository by {@code url}. */
    public static final int MAX_INLINE_BYTES = 256 * 1024;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A jar carried inline.
     *
     * @param file   the package's {@code file} as the document names it (relative)
     * @param sha256 its SHA-256 (64 lower-case hex digits)
     * @param bytes  the jar
     */
    public record InlinePackage(String file, String sha256, byte[] bytes) {
    }

    /** Copies the collections. */
    public FleetDeployment {
        Map<String, List<String>> t = new TreeMap<>();
        target.forEach((k, v) -> t.put(k, List.copyOf(v)));
        target = java.util.Collections.unmodifiableMap(t);
        packages = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(packages));
    }

    /** The SHA-256 of {@code bytes} as 64 lower-case hex digits. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The message's bytes (JSON). */
    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("fleetDeployment", id).put("publishedAt", publishedAt).put("version", version);
        ObjectNode t = root.putObject("target");
        target.forEach((k, values) -> {
            ArrayNode a = t.putArray(k);
            values.forEach(a::add);
        });
        root.put("document", document);
        ObjectNode p = root.putObject("packages");
        packages.forEach((name, inline) -> p.putObject(name).put("file", inline.file()).put("sha256", inline.sha256())
                .put("size", inline.bytes().length).put("base64", Base64.getEncoder().encodeToString(inline.bytes())));
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
    }

    /**
     * Reads a message, checking every inline jar against its hash.
     *
     * @throws IllegalArgumentException naming what is wrong; the id is in the message when it could be read
     */
    public static FleetDeployment parse(byte[] payload) {
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("the fleet deployment is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the fleet deployment is not a JSON object");
        }
        String id = root.path("fleetDeployment").asText("");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("the fleet deployment has no valid 'fleetDeployment' id (letters, digits, '.', '_', '-')");
        }
        List<String> problems = new ArrayList<>();
        Map<String, List<String>> target = new TreeMap<>();
        JsonNode t = root.path("target");
        if (!t.isMissingNode() && !t.isNull()) {
            if (!t.isObject()) {
                problems.add("'target' must be an object of tag keys to lists of values");
            } else {
                t.properties().forEach(e -> {
                    List<String> values = new ArrayList<>();
                    if (e.getValue().isArray()) {
                        e.getValue().forEach(v -> values.add(v.asText()));
                    } else {
                        values.add(e.getValue().asText());
                    }
                    target.put(e.getKey(), values);
                });
            }
        }
        JsonNode document = root.path("document");
        if (!document.isTextual() || document.asText().isBlank()) {
            problems.add("'document' must be the deployment document's text");
        }
        Map<String, InlinePackage> packages = new LinkedHashMap<>();
        JsonNode p = root.path("packages");
        if (!p.isMissingNode() && !p.isObject()) {
            problems.add("'packages' must be an object");
        } else {
            p.properties().forEach(e -> {
                String name = e.getKey();
                JsonNode pkg = e.getValue();
                String file = pkg.path("file").asText("");
                String sha = pkg.path("sha256").asText("");
                byte[] bytes;
                try {
                    bytes = Base64.getDecoder().decode(pkg.path("base64").asText(""));
                } catch (IllegalArgumentException bad) {
                    problems.add("package '" + name + "': 'base64' is not Base64");
                    return;
                }
                if (file.isEmpty()) {
                    problems.add("package '" + name + "' has no 'file'");
                } else if (bytes.length == 0) {
                    problems.add("package '" + name + "' carries no jar");
                } else if (!sha256(bytes).equals(sha)) {
                    problems.add("package '" + name + "' arrived with SHA-256 " + sha256(bytes) + ", not the declared '" + sha
                            + "': the message was damaged or tampered with");
                } else {
                    packages.put(name, new InlinePackage(file, sha, bytes));
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("fleet deployment " + id + ": " + String.join("; ", problems));
        }
        String version = root.path("version").isTextual() ? root.path("version").asText() : null;
        return new FleetDeployment(id, root.path("publishedAt").asText(""), version, target,
                document.asText(), packages);
    }

    /** The id in {@code payload} when it can be read, else null; for reporting a message that {@link #parse} refuses. */
    public static String idOf(byte[] payload) {
        try {
            String id = JSON.readTree(payload).path("fleetDeployment").asText("");
            return ID.matcher(id).matches() ? id : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The document's bytes. */
    public byte[] documentBytes() {
        return document.getBytes(StandardCharsets.UTF_8);
    }
}
