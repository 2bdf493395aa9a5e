package io.edgefn.hub.twin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/** Jackson, JSON merge patch (RFC 7396) and the error body. Stateless and thread-safe. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** Parses {@code bytes} as one JSON object, or throws a 400 {@link TwinException} saying why. */
    static ObjectNode parseObject(byte[] bytes, String what) {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            int nl = m.indexOf('\n');
            throw new TwinException(400, what + " is not valid JSON: " + (nl < 0 ? m : m.substring(0, nl)));
        }
        if (node == null || node.isMissingNode()) {
            throw new TwinException(400, what + " is empty: a JSON object was expected");
        }
        if (!node.isObject()) {
            throw new TwinException(400, what + " must be a JSON object, was " + node.getNodeType().toString().toLowerCase());
        }
        return (ObjectNode) node;
    }

    /** Applies merge {@code patch} to {@code target} in place: a null deletes, an object merges, anything else replaces. */
    static void mergePatch(ObjectNode target, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue();
            if (value.isNull()) {
                target.remove(e.getKey());
            } else if (value.isObject()) {
                JsonNode existing = target.get(e.getKey());
                ObjectNode into = existing != null && existing.isObject() ? (ObjectNode) existing : target.putObject(e.getKey());
                mergePatch(into, (ObjectNode) value);
                if (existing == null || !existing.isObject()) {
                    target.set(e.getKey(), into);
                }
            } else {
                target.set(e.getKey(), value.deepCopy());
            }
        }
    }

    /**
     * Combines two merge patches into one that has the effect of applying {@code earlier} then
     * {@code later} (nulls kept, so that deletions still delete): updates {@code earlier} in place.
     */
    static void combinePatches(ObjectNode earlier, ObjectNode later) {
        for (Iterator<Map.Entry<String, JsonNode>> it = later.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = earlier.get(e.getKey());
            if (e.getValue().isObject() && existing != null && existing.isObject()) {
                combinePatches((ObjectNode) existing, (ObjectNode) e.getValue());
            } else {
                earlier.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    /** The compact JSON text of {@code node}. */
    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** {@code {"status": n, "message": "…"}}. */
    static byte[] errorBody(int status, String message) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("status", status);
        o.put("message", message);
        return bytes(o);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
