package io.edgefn.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.index.json.Fields;
import io.edgefn.index.json.LocatedJson;
import io.edgefn.index.json.Problems;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an edgefn deployment document (the form the README's "Deploying" section shows) and reads it into
 * its typed parts, adding every problem it finds to {@link Problems}.
 *
 * <p>Owned by the one thread checking the document.
 */
final class DeploymentReader {

    static final String SCHEMA_VERSION = "edgefn/1";
    static final List<String> TOP_LEVEL_KEYS = List.of("schemaVersion", "version", "packages", "routes",
            "modules", "devices", "storeAndForward", "desired", BrokerReader.SECTION, DeploymentSignature.MEMBER,
            HealthGate.MEMBER);
    static final Set<String> KNOWN_DRIVERS = Set.of("sphere-link");

    private static final List<String> PACKAGE_KEYS = List.of("file", "url", "sha256", "settings", "ca");
    /** The package keys {@link #pkg} does not report as unknown: its own, and 'signature', which has a message of its own. */
    private static final List<String> PACKAGE_KEYS_READ = List.of("file", "url", "sha256", "settings", "ca",
            DeploymentSignature.MEMBER);
    private static final List<String> MODULE_KEYS = List.of("inputs");
    private static final List<String> DEVICE_KEYS = List.of("driver", "port", "baud", "failSafeMillis");
    private static final List<String> STORE_KEYS = List.of("timeToLiveSecs", "maxBytes", "fullPolicy");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    /**
     * What a package name may be: it appears in messages and paths (the host keeps jars by hash,
     * {@link PackageStore}, but earlier versions named files {@code packages/<name>.jar}), so it may
     * hold no path separator, no control character, and cannot be {@code .} or {@code ..} (a name
     * starts with a letter or digit).
     */
    static final Pattern PACKAGE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Problems problems;
    private final Fields fields;

    DeploymentReader(Problems problems) {
        this.problems = problems;
        this.fields = new Fields(problems);
    }

    /** The parts of the document, read as far as they are valid. */
    Deployment.Parts read(ObjectNode root) {
        problems.unknownKeys(root, "", TOP_LEVEL_KEYS);
        String schema = fields.text(root, "", "schemaVersion", false);
        if (schema != null && !schema.equals(SCHEMA_VERSION)) {
            problems.at("schemaVersion", "schemaVersion '" + schema + "' is not supported; this host reads '"
                    + SCHEMA_VERSION + "' (or an IoT Edge manifest with 'modulesContent')");
        }
        String version = fields.text(root, "", "version", false);

        ObjectNode routesNode = fields.object(root, "", "routes", true);
        List<RouteEntry> routes = routesNode == null ? List.of()
                : new RouteReader(problems).read(routesNode, "routes", RouteReader.EDGEFN_KEYS, null);

        Map<String, PackageRef> packages = new LinkedHashMap<>();
        Map<String, ExternalModule> modules = new LinkedHashMap<>();
        Map<String, DeviceEntry> devices = new LinkedHashMap<>();
        Map<String, JsonNode> desired = new LinkedHashMap<>();
        eachObject(root, "packages", "package", (name, node, at) -> {
            if (PACKAGE_NAME.matcher(name).matches()) {
                packages.put(name, pkg(name, node, at));
            } else {
                problems.atKey(at, "package name '" + name + "' is not allowed: a package name is 1 to 64 letters,"
                        + " digits, '.', '_' or '-', starting with a letter or digit, because it names the file the"
                        + " host copies the jar to");
            }
        });
        eachObject(root, "modules", "module", (id, node, at) -> modules.put(id, module(id, node, at)));
        eachObject(root, "devices", "device", (id, node, at) -> devices.put(id, device(id, node, at)));
        eachObject(root, "desired", "desired properties", (id, node, at) -> desired.put(id, node));
        packages.values().removeIf(java.util.Objects::isNull);
        devices.values().removeIf(java.util.Objects::isNull);
        samePort(devices);
        StoreAndForward store = storeAndForward(root);
        signature(root);
        HealthGate.check(root, problems);
        return new Deployment.Parts(schema == null ? SCHEMA_VERSION : schema, version, packages, routes,
                modules, devices, store, desired, List.of(), false);
    }

    /**
     * Checks the document's {@code signature} member, if any, has the form {@code edgefn sign}
     * writes; whether it verifies is {@link SignaturePolicy}'s question, against a gateway's keys.
     */
    private void signature(ObjectNode root) {
        if (!root.has(DeploymentSignature.MEMBER)) {
            return;
        }
        String at = DeploymentSignature.MEMBER;
        ObjectNode node = fields.asObject(root.get(at), at, "the deployment's signature");
        if (node == null) {
            return;
        }
        problems.unknownKeys(node, at, DeploymentSignature.KEYS);
        String algorithm = fields.text(node, at, "algorithm", true);
        String keyId = fields.text(node, at, "keyId", true);
        String value = fields.text(node, at, "value", true);
        if (algorithm != null && !algorithm.equals(SigningKeys.ALGORITHM)) {
            problems.at(LocatedJson.child(at, "algorithm"), "signature algorithm '" + algorithm
                    + "' is not supported; edgefn signs with " + SigningKeys.ALGORITHM);
        }
        if (keyId != null && !DeploymentSignature.KEY_ID.matcher(keyId).matches()) {
            problems.at(LocatedJson.child(at, "keyId"), "signature keyId '" + keyId
                    + "' is not a key id: 'ed25519:' and 16 hex digits, as edgefn sign writes it");
        }
        if (value != null && !DeploymentSignature.isWellFormedValue(value)) {
            problems.at(LocatedJson.child(at, "value"), "signature value is not the Base64 of 64 bytes");
        }
    }

    /** Called for each entry of a map-like section. */
    private interface EntryReader {
        void read(String name, ObjectNode value, String at);
    }

    private void eachObject(ObjectNode root, String section, String what, EntryReader reader) {
        ObjectNode map = fields.object(root, "", section, false);
        if (map == null) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String at = LocatedJson.child(section, e.getKey());
            if (e.getKey().isBlank()) {
                problems.atKey(at, "a " + what + " name must not be empty");
                continue;
            }
            ObjectNode value = fields.asObject(e.getValue(), at, what + " '" + e.getKey() + "'");
            if (value != null) {
                reader.read(e.getKey(), value, at);
            }
        }
    }

    private PackageRef pkg(String name, ObjectNode node, String at) {
        if (node.has(DeploymentSignature.MEMBER)) {
            problems.atKey(LocatedJson.child(at, DeploymentSignature.MEMBER), "package '" + name + "' has a"
                    + " 'signature' of its own, which edgefn does not read: `edgefn sign` signs the whole deployment"
                    + " (its top-level 'signature'), each package through its 'sha256'");
        }
        problems.unknownKeys(node, at, PACKAGE_KEYS_READ);
        String file = fields.text(node, at, "file", false);
        String url = fields.text(node, at, "url", false);
        String sha = fields.text(node, at, "sha256", false);
        ObjectNode settings = fields.object(node, at, "settings", false);
        String ca = fields.text(node, at, "ca", false);
        boolean valid = true;
        if (node.has("file") == node.has("url")) {
            problems.at(at, "package '" + name + "' must give exactly one of 'file' or 'url'"
                    + (node.has("file") ? ", not both" : ""));
            valid = false;
        }
        if (file != null && file.isBlank()) {
            problems.at(LocatedJson.child(at, "file"), "'file' of package '" + name + "' is empty");
            valid = false;
        } else if (file != null && invalidPath(file) != null) {
            problems.at(LocatedJson.child(at, "file"), "'file' of package '" + name + "' is not a valid path: "
                    + invalidPath(file));
            valid = false;
        }
        if (url != null && !validUrl(url)) {
            problems.at(LocatedJson.child(at, "url"), "'url' of package '" + name + "' is '" + url
                    + "'; it must be an absolute http or https URL");
            valid = false;
        }
        if (sha != null && !SHA256.matcher(sha).matches()) {
            problems.at(LocatedJson.child(at, "sha256"), "'sha256' of package '" + name
                    + "' must be 64 hex digits, but is " + sha.length() + " characters: '" + sha + "'");
            valid = false;
        }
        if (node.has("ca") && !node.has("url")) {
            problems.at(LocatedJson.child(at, "ca"), "'ca' of package '" + name + "' names the certificate authorities"
                    + " of a 'url' package's server, but the package is not fetched from a URL");
            valid = false;
        } else if (ca != null && ca.isBlank()) {
            problems.at(LocatedJson.child(at, "ca"), "'ca' of package '" + name + "' is empty; give a PEM file or the"
                    + " PEM text of the certificate authorities");
            valid = false;
        } else if (ca != null && !ca.startsWith(PackageFetcher.PEM_BEGIN) && invalidPath(ca) != null) {
            problems.at(LocatedJson.child(at, "ca"), "'ca' of package '" + name + "' is not a valid path: "
                    + invalidPath(ca));
            valid = false;
        }
        if (url != null && !node.has("sha256")) {
            problems.at(at, "package '" + name + "' is fetched from a URL, so it must give its 'sha256'");
            valid = false;
        }
        if (!valid || (file == null && url == null) || (node.has("sha256") && sha == null)
                || (node.has("settings") && settings == null) || (node.has("ca") && ca == null)) {
            return null;
        }
        return new PackageRef(name, file, url, sha == null ? null : sha.toLowerCase(Locale.ROOT),
                settings == null ? JsonNodeFactory.instance.objectNode() : settings, ca);
    }

    /** Why {@code file} is not a path on this system, or {@code null} when it is one. */
    private static String invalidPath(String file) {
        try {
            java.nio.file.Path.of(file);
            return null;
        } catch (java.nio.file.InvalidPathException e) {
            return e.getReason();
        }
    }

    private static boolean validUrl(String url) {
        try {
            URI uri = new URI(url);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private ExternalModule module(String id, ObjectNode node, String at) {
        problems.unknownKeys(node, at, MODULE_KEYS);
        JsonNode inputs = node.get("inputs");
        if (inputs == null) {
            return new ExternalModule(id, List.of());
        }
        String inputsAt = LocatedJson.child(at, "inputs");
        if (!inputs.isArray()) {
            problems.at(inputsAt, "'inputs' of module '" + id + "' must be an array of input names, not "
                    + Fields.kind(inputs));
            return new ExternalModule(id, List.of());
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            JsonNode input = inputs.get(i);
            String inputAt = LocatedJson.element(inputsAt, i);
            if (!input.isTextual() || input.textValue().isBlank()) {
                problems.at(inputAt, "an input of module '" + id + "' must be a non-empty string, not "
                        + (input.isTextual() ? "an empty one" : Fields.kind(input)));
            } else if (!names.add(input.textValue())) {
                problems.at(inputAt, "input '" + input.textValue() + "' of module '" + id + "' is listed twice");
            }
        }
        return new ExternalModule(id, new ArrayList<>(names));
    }

    private DeviceEntry device(String id, ObjectNode node, String at) {
        problems.unknownKeys(node, at, DEVICE_KEYS);
        String driver = fields.text(node, at, "driver", true);
        if (driver != null && !KNOWN_DRIVERS.contains(driver)) {
            problems.at(LocatedJson.child(at, "driver"), "driver '" + driver + "' of device '" + id
                    + "' is not known; known drivers: " + String.join(", ", KNOWN_DRIVERS.stream().sorted().toList()));
            driver = null;
        }
        String port = fields.text(node, at, "port", true);
        if (port != null && port.isBlank()) {
            problems.at(LocatedJson.child(at, "port"), "'port' of device '" + id + "' is empty");
            port = null;
        }
        Long baud = fields.integer(node, at, "baud", 1, Integer.MAX_VALUE, "a positive number of bits per second");
        Long failSafe = fields.integer(node, at, "failSafeMillis", 1, Long.MAX_VALUE, "a positive number of milliseconds");
        boolean wrong = (node.has("baud") && baud == null) || (node.has("failSafeMillis") && failSafe == null);
        if (driver == null || port == null || wrong) {
            return null;
        }
        return new DeviceEntry(id, driver, port, baud == null ? DeviceEntry.DEFAULT_BAUD : baud.intValue(), failSafe);
    }

    private void samePort(Map<String, DeviceEntry> devices) {
        Map<String, String> byPort = new HashMap<>();
        for (DeviceEntry d : devices.values()) {
            String other = byPort.putIfAbsent(d.port(), d.id());
            if (other != null) {
                problems.at(LocatedJson.child(LocatedJson.child("devices", d.id()), "port"), "device '" + d.id()
                        + "' uses port " + d.port() + ", which device '" + other + "' already uses");
            }
        }
    }

    private StoreAndForward storeAndForward(ObjectNode root) {
        ObjectNode node = fields.object(root, "", "storeAndForward", false);
        if (node == null) {
            return StoreAndForward.DEFAULT;
        }
        String at = "storeAndForward";
        problems.unknownKeys(node, at, STORE_KEYS);
        Long ttl = fields.integer(node, at, "timeToLiveSecs", 1, Long.MAX_VALUE, "a positive number of seconds");
        Long maxBytes = fields.integer(node, at, "maxBytes", 1, Long.MAX_VALUE, "a positive number of bytes");
        if (maxBytes != null && maxBytes < StoreAndForward.MIN_MAX_BYTES) {
            problems.at(LocatedJson.child(at, "maxBytes"), "'maxBytes' is " + InputFiles.limit(maxBytes)
                    + "; it must be at least " + InputFiles.limit(StoreAndForward.MIN_MAX_BYTES)
                    + ", because the offline buffer writes files of 64 MiB and needs room for two");
            maxBytes = null;
        }
        String policy = fields.text(node, at, "fullPolicy", false);
        if (policy != null && !policy.equals(StoreAndForward.REJECT_NEW) && !policy.equals(StoreAndForward.DROP_OLDEST)) {
            problems.at(LocatedJson.child(at, "fullPolicy"), "fullPolicy '" + policy + "' is not one of '"
                    + StoreAndForward.REJECT_NEW + "', '" + StoreAndForward.DROP_OLDEST + "'");
            policy = null;
        }
        return new StoreAndForward(ttl == null ? StoreAndForward.DEFAULT_TIME_TO_LIVE_SECS : ttl, maxBytes,
                policy == null ? StoreAndForward.REJECT_NEW : policy);
    }
}
