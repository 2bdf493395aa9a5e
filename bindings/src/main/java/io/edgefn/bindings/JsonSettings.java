package io.edgefn.bindings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.api.Settings;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A function's {@link Settings} read from JSON: the package's settings overlaid by the
 * deployment's desired properties for the function (a desired value replaces the setting of the
 * same key; nested objects merge).
 *
 * <p>Immutable and thread-safe.
 */
public final class JsonSettings implements Settings {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String owner;
    private final ObjectNode root;

    private JsonSettings(String owner, ObjectNode root) {
        this.owner = owner;
        this.root = root;
    }

    /** No settings. */
    public static JsonSettings empty(String owner) {
        return new JsonSettings(owner, JsonNodeFactory.instance.objectNode());
    }

    /**
     * The settings of {@code owner} (a function name, used in error messages): {@code base}
     * overlaid by {@code overlay}; either may be {@code null}. Each must be a JSON object.
     */
    public static JsonSettings of(String owner, JsonNode base, JsonNode overlay) {
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        merge(owner, merged, base, "settings");
        merge(owner, merged, overlay, "desired");
        return new JsonSettings(owner, merged);
    }

    private static void merge(String owner, ObjectNode target, JsonNode source, String what) {
        if (source == null || source.isNull() || source.isMissingNode()) {
            return;
        }
        if (!source.isObject()) {
            throw new BindingException(what + " of '" + owner + "' must be a JSON object, was " + source.getNodeType());
        }
        source.properties().forEach(entry -> {
            JsonNode existing = target.get(entry.getKey());
            if (existing != null && existing.isObject() && entry.getValue().isObject()) {
                ObjectNode nested = existing.deepCopy();
                merge(owner, nested, entry.getValue(), what);
                target.set(entry.getKey(), nested);
            } else {
                target.set(entry.getKey(), entry.getValue().deepCopy());
            }
        });
    }

    @Override
    public Optional<String> string(String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw wrongType(key, "a string", node);
        }
        return Optional.of(node.textValue());
    }

    @Override
    public double number(String key, double defaultValue) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isNumber()) {
            throw wrongType(key, "a number", node);
        }
        return node.doubleValue();
    }

    @Override
    public long integer(String key, long defaultValue) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw wrongType(key, "a whole number", node);
        }
        return node.longValue();
    }

    @Override
    public boolean bool(String key, boolean defaultValue) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return defaultValue;
        }
        if (!node.isBoolean()) {
            throw wrongType(key, "true or false", node);
        }
        return node.booleanValue();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(MAPPER.convertValue(root, LinkedHashMap.class));
    }

    /** The settings as a JSON object (a copy). */
    public ObjectNode asJson() {
        return root.deepCopy();
    }

    private BindingException wrongType(String key, String expected, JsonNode actual) {
        return new BindingException("setting '" + key + "' of '" + owner + "' must be " + expected
                + ", was " + actual.toString());
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
