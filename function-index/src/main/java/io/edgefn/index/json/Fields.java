package io.edgefn.index.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads typed fields of a JSON object, adding a problem for each missing required field and each
 * value of the wrong type, and returning {@code null} for those so the checker can carry on.
 *
 * <p>Owned by the one thread checking the document.
 */
public final class Fields {

    private final Problems problems;

    /** Fields whose problems go to {@code problems}. */
    public Fields(Problems problems) {
        this.problems = problems;
    }

    /** The string at {@code key} of {@code object} (at {@code path}), or null. */
    public String text(ObjectNode object, String path, String key, boolean required) {
        JsonNode node = present(object, path, key, required);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            problems.at(LocatedJson.child(path, key), "'" + key + "' must be a string, not " + kind(node));
            return null;
        }
        return node.textValue();
    }

    /** The whole number at {@code key} within [{@code min}, {@code max}], or null. */
    public Long integer(ObjectNode object, String path, String key, long min, long max, String range) {
        JsonNode node = present(object, path, key, false);
        if (node == null) {
            return null;
        }
        String at = LocatedJson.child(path, key);
        if (!node.isIntegralNumber()) {
            problems.at(at, "'" + key + "' is " + kind(node) + (node.isNumber() || node.isTextual() ? " " + node : "")
                    + ", not a whole number; it must be " + range);
            return null;
        }
        if (!node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
            problems.at(at, "'" + key + "' is " + node + "; it must be " + range);
            return null;
        }
        return node.longValue();
    }

    /** The boolean at {@code key}, or null. */
    public Boolean bool(ObjectNode object, String path, String key) {
        JsonNode node = present(object, path, key, false);
        if (node == null) {
            return null;
        }
        if (!node.isBoolean()) {
            problems.at(LocatedJson.child(path, key), "'" + key + "' must be true or false, not " + kind(node));
            return null;
        }
        return node.booleanValue();
    }

    /** The object at {@code key}, or null. */
    public ObjectNode object(ObjectNode object, String path, String key, boolean required) {
        JsonNode node = present(object, path, key, required);
        if (node == null) {
            return null;
        }
        return asObject(node, LocatedJson.child(path, key), "'" + key + "'");
    }

    /** The array of non-empty strings at {@code key}, or null when missing or not one. */
    public List<String> strings(ObjectNode object, String path, String key, boolean required) {
        JsonNode node = present(object, path, key, required);
        if (node == null) {
            return null;
        }
        String at = LocatedJson.child(path, key);
        if (!node.isArray()) {
            problems.at(at, "'" + key + "' must be an array of strings, not " + kind(node));
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode element = node.get(i);
            if (!element.isTextual() || element.textValue().isEmpty()) {
                problems.at(LocatedJson.element(at, i), "an element of '" + key + "' must be a non-empty string, not "
                        + (element.isTextual() ? "an empty one" : kind(element)));
                return null;
            }
            values.add(element.textValue());
        }
        return values;
    }

    /** {@code node} (at {@code path}, called {@code what} in messages) as an object, or null. */
    public ObjectNode asObject(JsonNode node, String path, String what) {
        if (!node.isObject()) {
            problems.at(path, what + " must be an object, not " + kind(node));
            return null;
        }
        return (ObjectNode) node;
    }

    /** A name for the JSON type of {@code node}, with an article, for messages. */
    public static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL, MISSING -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private JsonNode present(ObjectNode object, String path, String key, boolean required) {
        JsonNode node = object.get(key);
        if (node == null && required) {
            problems.at(path, "missing required key '" + key + "' " + Problems.where(path));
        }
        return node;
    }
}
