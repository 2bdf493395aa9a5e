package io.edgefn.hub.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * IoT Hub's twin limits as the gateway enforces them: a side (desired or reported) at most
 * {@value #MAX_SIDE_BYTES} bytes of JSON text, a property value at most {@value #MAX_VALUE_BYTES}
 * bytes, at most {@value #MAX_DEPTH} levels of objects, and no property name starting with
 * {@code $} (reserved for {@code $version} and metadata). Stateless and thread-safe.
 */
public final class TwinLimits {

    /** The most JSON text one side of a twin may hold, 32 KB. */
    public static final int MAX_SIDE_BYTES = 32 * 1024;

    /** The most JSON text one property value (a leaf: string, number, array…) may take, 4 KB. */
    public static final int MAX_VALUE_BYTES = 4 * 1024;

    /** How deeply objects may nest. */
    public static final int MAX_DEPTH = 10;

    private TwinLimits() {
    }

    /**
     * Checks a patch before it is applied.
     *
     * @throws TwinException 400 for a reserved name or too deep a nesting, 413 for an oversized value
     */
    static void checkPatch(ObjectNode patch, String side) {
        checkObject(patch, side, "", 1);
    }

    /**
     * Checks a side after a patch was applied to a copy of it.
     *
     * @throws TwinException 413 when it is over {@link #MAX_SIDE_BYTES}
     */
    static void checkSide(ObjectNode merged, String side) {
        int size = Json.bytes(merged).length;
        if (size > MAX_SIDE_BYTES) {
            throw new TwinException(413, "the " + side + " properties would take " + size
                    + " bytes of JSON, over the limit of " + MAX_SIDE_BYTES + " bytes; the patch was not applied");
        }
    }

    private static void checkObject(ObjectNode object, String side, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new TwinException(400, side + " property '" + path + "' nests objects deeper than " + MAX_DEPTH + " levels");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (e.getKey().startsWith("$")) {
                throw new TwinException(400, side + " property '" + name + "': names starting with '$' are reserved");
            }
            if (e.getKey().isEmpty()) {
                throw new TwinException(400, side + " property names may not be empty (in '" + path + "')");
            }
            JsonNode value = e.getValue();
            if (value.isObject()) {
                checkObject((ObjectNode) value, side, name, depth + 1);
            } else {
                int size = Json.bytes(value).length;
                if (size > MAX_VALUE_BYTES) {
                    throw new TwinException(413, side + " property '" + name + "' has a value of " + size
                            + " bytes of JSON, over the limit of " + MAX_VALUE_BYTES + " bytes");
                }
            }
        }
    }
}
