package io.edgefn.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.index.json.Fields;
import io.edgefn.index.json.LocatedJson;
import io.edgefn.index.json.Problems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Reads an Azure IoT Edge deployment manifest: {@code $edgeHub}'s routes and
 * {@code storeAndForwardConfiguration} are taken as edgeHub reads them, and everything else is
 * listed as ignored.
 *
 * <p>edgeHub's rules, kept here: schema versions 1.0 to 1.3 only; 1.0 allows only string routes;
 * 1.1 and later also allow route spec objects with priority and time to live. The manifest may be
 * the bare {@code {"modulesContent": …}} or a whole deployment with {@code content.modulesContent}.
 *
 * <p>Owned by the one thread checking the document.
 */
final class ManifestReader {

    static final Set<String> SCHEMA_VERSIONS = Set.of("1.0", "1.1", "1.2", "1.3");
    private static final List<String> STORE_KEYS = List.of("timeToLiveSecs");

    private final Problems problems;
    private final Fields fields;
    private final List<String> ignored = new ArrayList<>();

    ManifestReader(Problems problems) {
        this.problems = problems;
        this.fields = new Fields(problems);
    }

    /** Whether {@code root} is a manifest rather than an edgefn deployment. */
    static boolean isManifest(ObjectNode root) {
        return root.has("modulesContent")
                || (root.path("content").isObject() && root.path("content").has("modulesContent"));
    }

    Deployment.Parts read(ObjectNode root) {
        for (String key : DeploymentReader.TOP_LEVEL_KEYS) {
            if (root.has(key)) {
                problems.atKey(key, "'" + key + "' does not belong in an IoT Edge manifest (a document with"
                        + " 'modulesContent'): its routes live in $edgeHub's desired properties");
            }
        }
        String prefix = "";
        ObjectNode holder = root;
        if (!root.has("modulesContent")) {
            prefix = "content";
            holder = (ObjectNode) root.get("content");
            ignoreOthers(root, "", Set.of("content"), "deployment metadata is not used by edgefn");
        }
        ignoreOthers(holder, prefix, Set.of("modulesContent"), "only modulesContent is read");
        String contentAt = LocatedJson.child(prefix, "modulesContent");
        ObjectNode content = fields.object(holder, prefix, "modulesContent", true);
        if (content == null) {
            return empty();
        }
        ignoreOthers(content, contentAt, Set.of("$edgeHub"),
                "edgefn runs functions from packages, not container modules");
        String hubAt = LocatedJson.child(contentAt, "$edgeHub");
        ObjectNode hub = fields.object(content, contentAt, "$edgeHub", true);
        if (hub == null) {
            return empty();
        }
        ignoreOthers(hub, hubAt, Set.of("properties.desired"), "only desired properties are read");
        String desiredAt = LocatedJson.child(hubAt, "properties.desired");
        ObjectNode desired = fields.object(hub, hubAt, "properties.desired", true);
        if (desired == null) {
            return empty();
        }
        ignoreOthers(desired, desiredAt, Set.of("schemaVersion", "routes", "storeAndForwardConfiguration"),
                "edgefn does not use this edgeHub setting");
        String schema = fields.text(desired, desiredAt, "schemaVersion", true);
        boolean schemaKnown = schema != null && SCHEMA_VERSIONS.contains(schema);
        if (schema != null && !schemaKnown) {
            problems.at(LocatedJson.child(desiredAt, "schemaVersion"), "edgeHub schemaVersion '" + schema
                    + "' is not supported; edgeHub accepts 1.0, 1.1, 1.2 and 1.3");
        }
        List<RouteEntry> routes = List.of();
        String routesAt = LocatedJson.child(desiredAt, "routes");
        ObjectNode routesNode = fields.object(desired, desiredAt, "routes", true);
        if (routesNode != null && schemaKnown) {
            boolean objects = !schema.equals("1.0");
            routes = new RouteReader(problems).read(routesNode, routesAt, objects ? RouteReader.EDGE_HUB_KEYS : null,
                    "edgeHub schemaVersion 1.0 allows only string routes (route objects need 1.1 or later)");
        }
        return new Deployment.Parts(schema, null, new LinkedHashMap<>(), routes, new LinkedHashMap<>(),
                new LinkedHashMap<>(), storeAndForward(desired, desiredAt), new LinkedHashMap<>(), ignored, true);
    }

    private StoreAndForward storeAndForward(ObjectNode desired, String desiredAt) {
        ObjectNode node = fields.object(desired, desiredAt, "storeAndForwardConfiguration", false);
        if (node == null) {
            return StoreAndForward.DEFAULT;
        }
        String at = LocatedJson.child(desiredAt, "storeAndForwardConfiguration");
        problems.unknownKeys(node, at, STORE_KEYS);
        Long ttl = fields.integer(node, at, "timeToLiveSecs", 1, Long.MAX_VALUE, "a positive number of seconds");
        return new StoreAndForward(ttl == null ? StoreAndForward.DEFAULT_TIME_TO_LIVE_SECS : ttl, null,
                StoreAndForward.REJECT_NEW);
    }

    private void ignoreOthers(ObjectNode object, String path, Set<String> kept, String why) {
        for (String key : (Iterable<String>) object::fieldNames) {
            boolean reported = path.isEmpty() && DeploymentReader.TOP_LEVEL_KEYS.contains(key);
            if (!kept.contains(key) && !reported) {
                ignored.add(LocatedJson.child(path, key) + " (" + why + ")");
            }
        }
    }

    private Deployment.Parts empty() {
        return new Deployment.Parts(null, null, new LinkedHashMap<>(), List.of(), new LinkedHashMap<>(),
                new LinkedHashMap<>(), StoreAndForward.DEFAULT, new LinkedHashMap<>(), ignored, true);
    }
}
