package io.edgefn.hub.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One identity's twin as the gateway holds it: the desired and reported properties, each with its
 * {@code $version}. Immutable: the store replaces a document whole on every change.
 */
public final class TwinDocument {

    static final String VERSION = "$version";

    private final ObjectNode desired;
    private final long desiredVersion;
    private final ObjectNode reported;
    private final long reportedVersion;

    TwinDocument(ObjectNode desired, long desiredVersion, ObjectNode reported, long reportedVersion) {
        this.desired = desired;
        this.desiredVersion = desiredVersion;
        this.reported = reported;
        this.reportedVersion = reportedVersion;
    }

    /** A twin nobody has written to: both sides empty, version 0. */
    static TwinDocument empty() {
        return new TwinDocument(Json.MAPPER.createObjectNode(), 0, Json.MAPPER.createObjectNode(), 0);
    }

    /** The desired properties, without {@code $version} (a copy). */
    public ObjectNode desired() {
        return desired.deepCopy();
    }

    /** The version of the desired properties: that of the last patch applied from the cloud (0 for none). */
    public long desiredVersion() {
        return desiredVersion;
    }

    /** The reported properties, without {@code $version} (a copy). */
    public ObjectNode reported() {
        return reported.deepCopy();
    }

    /** The version of the reported properties, one more for every patch (0 before the first). */
    public long reportedVersion() {
        return reportedVersion;
    }

    /** The twin as IoT Hub's twin GET answers it: {@code {"desired": {…, "$version": n}, "reported": {…, "$version": m}}}. */
    public byte[] toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("desired", withVersion(desired, desiredVersion));
        root.set("reported", withVersion(reported, reportedVersion));
        return Json.bytes(root);
    }

    TwinDocument withDesired(ObjectNode newDesired, long version) {
        return new TwinDocument(newDesired, version, reported, reportedVersion);
    }

    TwinDocument withReported(ObjectNode newReported) {
        return new TwinDocument(desired, desiredVersion, newReported, reportedVersion + 1);
    }

    ObjectNode desiredNode() {
        return desired;
    }

    ObjectNode reportedNode() {
        return reported;
    }

    /** Reads a document written by {@link #toJson()}. */
    static TwinDocument parse(byte[] json, String what) {
        ObjectNode root = Json.parseObject(json, what);
        ObjectNode d = side(root, "desired", what);
        ObjectNode r = side(root, "reported", what);
        long dv = d.path(VERSION).asLong(0);
        long rv = r.path(VERSION).asLong(0);
        d.remove(VERSION);
        r.remove(VERSION);
        return new TwinDocument(d, dv, r, rv);
    }

    private static ObjectNode side(ObjectNode root, String name, String what) {
        JsonNode n = root.get(name);
        if (n == null) {
            return Json.MAPPER.createObjectNode();
        }
        if (!n.isObject()) {
            throw new TwinException(400, what + ": '" + name + "' is not an object");
        }
        return (ObjectNode) n;
    }

    private static ObjectNode withVersion(ObjectNode side, long version) {
        ObjectNode copy = side.deepCopy();
        copy.put(VERSION, version);
        return copy;
    }

    @Override
    public String toString() {
        return Json.text(toJson());
    }
}
