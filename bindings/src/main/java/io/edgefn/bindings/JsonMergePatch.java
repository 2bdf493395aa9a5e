package io.edgefn.bindings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON merge patch (RFC 7396), as twins use it: a patch object's members replace the target's, a
 * {@code null} member removes the key, and an object member merges into an object recursively.
 * A patch that is not an object replaces the target whole.
 *
 * <p>Stateless and thread-safe; never changes its arguments.
 */
public final class JsonMergePatch {

    private JsonMergePatch() {
    }

    /** {@code target} (may be {@code null}) with {@code patch} applied, as a new tree. */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            return patch == null ? null : patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        patch.properties().forEach(member -> {
            JsonNode value = member.getValue();
            if (value.isNull()) {
                result.remove(member.getKey());
            } else {
                result.set(member.getKey(), apply(result.get(member.getKey()), value));
            }
        });
        return result;
    }
}
