package io.edgefn.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.FunctionIndex;
import io.edgefn.index.json.Fields;
import io.edgefn.index.json.KeySuggestions;
import io.edgefn.index.json.LocatedJson;
import io.edgefn.index.json.Position;
import io.edgefn.index.json.Problem;
import io.edgefn.index.json.Problems;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated deployment: the function packages, routes, external modules, devices,
 * store-and-forward settings and desired properties a host runs, read from one JSON document.
 *
 * <p>The document is either edgefn's own form (README.md, "Deploying"; only {@code routes} is
 * required) or an Azure IoT Edge deployment manifest (a document with {@code modulesContent}), of
 * which {@code $edgeHub}'s routes and {@code storeAndForwardConfiguration} are taken as edgeHub
 * takes them and the rest is listed in {@link #ignored()}. A document is checked whole: every
 * problem is collected, with its JSON location and line and column, and reported together in one
 * {@link DeploymentException}. Route texts are not compiled here; that is the route compiler's
 * job.
 *
 * <p>Instances are immutable and safe to share between threads; JSON values are handed out as
 * copies.
 */
public final class Deployment {

    /** The largest deployment file {@link #read} accepts, in bytes (4 MiB); a larger one is refused unread. */
    public static final int MAX_DOCUMENT_BYTES = 4 << 20;

    private final String schemaVersion;
    private final String version;
    private final Map<String, PackageRef> packages;
    private final List<RouteEntry> routes;
    private final Map<String, ExternalModule> modules;
    private final Map<String, DeviceEntry> devices;
    private final StoreAndForward storeAndForward;
    private final Map<String, JsonNode> desired;
    private final Map<String, BrokerEntry> brokers;
    private final List<String> ignored;
    private final boolean edgeManifest;
    private final Path baseDirectory;
    private final String origin;
    private final LocatedJson located;
    private final DeploymentSignature signature;

    /** What a reader found in a document, before it becomes a {@link Deployment}. */
    record Parts(String schemaVersion, String version, Map<String, PackageRef> packages,
            List<RouteEntry> routes, Map<String, ExternalModule> modules, Map<String, DeviceEntry> devices,
            StoreAndForward storeAndForward, Map<String, JsonNode> desired, List<String> ignored,
            boolean edgeManifest) {}

    private Deployment(Parts parts, Map<String, BrokerEntry> brokers, Path baseDirectory, String origin,
                       LocatedJson located) {
        this.brokers = frozen(brokers);
        this.origin = origin;
        this.located = located;
        this.signature = parts.edgeManifest() ? null : DeploymentSignature.from(located.root().get(DeploymentSignature.MEMBER));
        this.schemaVersion = parts.schemaVersion();
        this.version = parts.version();
        this.packages = frozen(parts.packages());
        this.routes = List.copyOf(parts.routes());
        this.modules = frozen(parts.modules());
        this.devices = frozen(parts.devices());
        this.storeAndForward = parts.storeAndForward();
        Map<String, JsonNode> copies = new LinkedHashMap<>();
        parts.desired().forEach((k, v) -> copies.put(k, v.deepCopy()));
        this.desired = copies;
        this.ignored = List.copyOf(parts.ignored());
        this.edgeManifest = parts.edgeManifest();
        this.baseDirectory = baseDirectory;
    }

    /**
     * Parses and checks a deployment document whose relative package files resolve against the
     * current working directory.
     *
     * @param json   the document's bytes (UTF-8 JSON)
     * @param origin the document's name for messages, e.g. its file name
     * @throws DeploymentException listing every problem found
     */
    public static Deployment parse(byte[] json, String origin) {
        return parse(json, origin, Path.of("").toAbsolutePath());
    }

    /**
     * Parses and checks a deployment document whose relative package files resolve against
     * {@code baseDirectory}.
     *
     * @throws DeploymentException listing every problem found
     */
    public static Deployment parse(byte[] json, String origin, Path baseDirectory) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        LocatedJson located;
        try {
            located = LocatedJson.parse(json);
        } catch (LocatedJson.SyntaxException e) {
            Position p = e.position();
            throw new DeploymentException(origin, List.of(new Problem("", p.line(), p.column(),
                    "malformed JSON: " + e.getMessage())));
        }
        if (!located.root().isObject()) {
            Position p = located.valueAt("");
            throw new DeploymentException(origin, List.of(new Problem("", p.line(), p.column(),
                    "a deployment must be a JSON object, not " + Fields.kind(located.root()))));
        }
        ObjectNode root = (ObjectNode) located.root();
        Problems problems = new Problems(located);
        boolean manifest = ManifestReader.isManifest(root);
        Parts parts = manifest
                ? new ManifestReader(problems).read(root)
                : new DeploymentReader(problems).read(root);
        Map<String, BrokerEntry> brokers = manifest ? Map.of()
                : new BrokerReader(problems, baseDirectory.toAbsolutePath().normalize()).read(root);
        if (!problems.isEmpty()) {
            throw new DeploymentException(origin, problems.sorted());
        }
        return new Deployment(parts, brokers, baseDirectory.toAbsolutePath().normalize(), origin, located);
    }

    /**
     * Reads and checks the deployment in {@code file}; its relative package files resolve against
     * the file's directory.
     *
     * @throws DeploymentException when the file cannot be read, listing the reason: also when it
     *                             is not a regular file (a directory, a FIFO, a device: refused
     *                             before it is opened, so that reading never blocks) or is larger
     *                             than {@link #MAX_DOCUMENT_BYTES}; or when it is invalid, listing
     *                             every problem
     */
    public static Deployment read(Path file) {
        Objects.requireNonNull(file, "file");
        Path absolute = file.toAbsolutePath().normalize();
        byte[] bytes;
        try {
            bytes = InputFiles.read(absolute, MAX_DOCUMENT_BYTES);
        } catch (IOException e) {
            throw new DeploymentException(file.toString(), List.of(new Problem("", 0, 0,
                    "cannot read the deployment file: " + InputFiles.describe(e))));
        }
        return parse(bytes, file.toString(), absolute.getParent());
    }

    /** The document's signature, or {@code null} when it is unsigned; see {@link SignaturePolicy}. */
    public DeploymentSignature signature() {
        return signature;
    }

    /** A copy of the whole document as parsed, the object a {@link DeploymentSignature} covers. */
    public com.fasterxml.jackson.databind.node.ObjectNode document() {
        return ((com.fasterxml.jackson.databind.node.ObjectNode) located.root()).deepCopy();
    }

    /**
     * How a live change to this deployment is watched before it counts as good: its
     * {@code healthGate} member, or {@link HealthGate#DEFAULT} (an IoT Edge manifest has none).
     */
    public HealthGate healthGate() {
        return edgeManifest ? HealthGate.DEFAULT : HealthGate.of((com.fasterxml.jackson.databind.node.ObjectNode) located.root());
    }

    /** Where the document came from (its file name), as its messages name it. */
    public String origin() {
        return origin;
    }

    /**
     * The document's schema version: {@code "edgefn/1"} for edgefn's form (also when the document
     * gives none), or edgeHub's schema version ({@code "1.0"} … {@code "1.3"}) for a manifest.
     */
    public String schemaVersion() {
        return schemaVersion;
    }

    /** The deployment's own version label as written, or {@code null} when it gives none. */
    public String version() {
        return version;
    }

    /** The function packages by name, in document order; empty for a manifest. */
    public Map<String, PackageRef> packages() {
        return packages;
    }

    /** The routes, in document order. */
    public List<RouteEntry> routes() {
        return routes;
    }

    /** The external modules that connect over MQTT, by id, in document order. */
    public Map<String, ExternalModule> modules() {
        return modules;
    }

    /** The devices attached to the gateway, by id, in document order. */
    public Map<String, DeviceEntry> devices() {
        return devices;
    }

    /** The store-and-forward settings of {@code $upstream}; {@link StoreAndForward#DEFAULT} when not given. */
    public StoreAndForward storeAndForward() {
        return storeAndForward;
    }

    /** The desired properties by function or module id, in document order, as copies. */
    public Map<String, JsonNode> desired() {
        Map<String, JsonNode> copies = new LinkedHashMap<>();
        desired.forEach((k, v) -> copies.put(k, v.deepCopy()));
        return Collections.unmodifiableMap(copies);
    }

    /** The directory relative package {@code file}s resolve against: the document's directory. */
    public Path baseDirectory() {
        return baseDirectory;
    }

    /** The local jar of {@code ref}: its {@code file} resolved against {@link #baseDirectory()}. */
    public Path resolve(PackageRef ref) {
        if (ref.file() == null) {
            throw new IllegalArgumentException("package '" + ref.name() + "' is fetched from " + ref.url()
                    + ", not a local file");
        }
        return baseDirectory.resolve(ref.file()).normalize();
    }

    /**
     * Checks this deployment against the function indexes of its packages, once they are opened:
     * no function name is in two packages or is also an external module's id, and every
     * {@code desired} entry names a function or an external module.
     *
     * @param indexes the index of each package, by package name; exactly the names of
     *                {@link #packages()}
     * @throws DeploymentException listing every problem, placed at the package, module or desired
     *                             entry it is about
     * @throws IllegalArgumentException when {@code indexes} does not hold exactly this deployment's packages
     */
    public void checkAgainst(Map<String, FunctionIndex> indexes) {
        if (!indexes.keySet().equals(packages.keySet())) {
            throw new IllegalArgumentException("indexes are for packages " + indexes.keySet()
                    + " but the deployment has packages " + packages.keySet());
        }
        Problems problems = new Problems(located, false);
        Map<String, String> packageOfFunction = new LinkedHashMap<>();
        for (String pkg : packages.keySet()) {
            for (FunctionDescriptor f : indexes.get(pkg).functions()) {
                unknownBrokers(problems, pkg, f);
                String other = packageOfFunction.putIfAbsent(f.name(), pkg);
                if (other != null) {
                    problems.at(LocatedJson.child("packages", pkg), "function '" + f.name() + "' of package '" + pkg
                            + "' is also in package '" + other + "'; function names must be unique in a deployment");
                }
            }
        }
        for (String module : modules.keySet()) {
            String pkg = packageOfFunction.get(module);
            if (pkg != null) {
                problems.atKey(LocatedJson.child("modules", module), "module '" + module
                        + "' has the name of a function of package '" + pkg + "'; routes could not tell them apart");
            }
        }
        List<String> known = new java.util.ArrayList<>(packageOfFunction.keySet());
        known.addAll(modules.keySet());
        for (String id : desired.keySet()) {
            if (!known.contains(id)) {
                String hint = KeySuggestions.closest(id, known)
                        .map(k -> "; did you mean '" + k + "'?").orElse("");
                problems.atKey(LocatedJson.child("desired", id), "desired properties for '" + id
                        + "', which is neither a function of the deployment's packages nor an external module" + hint);
            }
        }
        if (!problems.isEmpty()) {
            throw new DeploymentException(origin, problems.sorted());
        }
    }

    /** The external MQTT brokers, by name, in document order (none in the IoT Edge manifest form). */
    public Map<String, BrokerEntry> brokers() {
        return brokers;
    }

    /**
     * Adds a problem for every {@code @MqttTrigger} or {@code MqttPublisher} of {@code f} (package
     * {@code pkg}) naming a broker this deployment does not declare.
     */
    private void unknownBrokers(Problems problems, String pkg, FunctionDescriptor f) {
        for (io.edgefn.index.MethodDescriptor m : f.methods()) {
            java.util.List<String> named = new java.util.ArrayList<>();
            if (m.trigger() instanceof io.edgefn.index.TriggerDescriptor.Mqtt mqtt && !mqtt.broker().isEmpty()) {
                named.add(mqtt.broker());
            }
            for (io.edgefn.index.ParameterDescriptor p : m.parameters()) {
                if (p instanceof io.edgefn.index.ParameterDescriptor.MqttPublisher pub && !pub.broker().isEmpty()) {
                    named.add(pub.broker());
                }
            }
            for (String broker : new java.util.LinkedHashSet<>(named)) {
                if (!brokers.containsKey(broker)) {
                    String hint = KeySuggestions.closest(broker, brokers.keySet())
                            .map(k -> "; did you mean '" + k + "'?").orElse("");
                    problems.at(LocatedJson.child("packages", pkg), "function '" + f.name() + "', method "
                            + m.name() + ", uses MQTT broker '" + broker + "', which the deployment does not declare"
                            + " under 'brokers' (it declares " + (brokers.isEmpty() ? "none" : brokers.keySet()) + ")"
                            + hint);
                }
            }
        }
    }

    /** Whether the document was an IoT Edge deployment manifest rather than edgefn's own form. */
    public boolean isEdgeManifest() {
        return edgeManifest;
    }

    /**
     * What the document held that this host does not use, one line each with its location and the
     * reason (e.g. {@code modulesContent.$edgeAgent (edgefn runs functions from packages, not
     * container modules)}), for the host to log; empty for edgefn's own form.
     */
    public List<String> ignored() {
        return ignored;
    }

    private static <V> Map<String, V> frozen(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    @Override
    public String toString() {
        return "Deployment[" + schemaVersion + (version == null ? "" : " " + version) + ", " + packages.size()
                + " packages, " + routes.size() + " routes, " + modules.size() + " modules, " + devices.size()
                + " devices]";
    }
}
