package io.edgefn.index.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A JSON document parsed into a Jackson tree that remembers the line and column of every value and
 * every object key, by path.
 *
 * <p>Jackson's tree forgets where things were written, and validators want to say "line 7, column
 * 18". This builds the tree from the streaming parser itself and records positions on the way.
 * Paths are written the way problems name them: {@code routes.alerts.priority} for a key under
 * keys, {@code modules.m1.inputs[0]} for an array element, and the empty string for the root.
 *
 * <p>A key written twice in one object is not silently overwritten: the first value stays and the
 * repetition is listed in {@link #duplicateKeys()}.
 *
 * <p>Instances are immutable after {@link #parse} returns, and the tree must not be modified by
 * callers; they are safe to read from several threads.
 */
public final class LocatedJson {

    // Duplicate keys are found by the builder, which reports them and keeps going.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private final JsonNode root;
    private final Map<String, Position> valuePositions;
    private final Map<String, Position> keyPositions;
    private final List<DuplicateKey> duplicateKeys;

    private LocatedJson(JsonNode root, Map<String, Position> valuePositions,
            Map<String, Position> keyPositions, List<DuplicateKey> duplicateKeys) {
        this.root = root;
        this.valuePositions = valuePositions;
        this.keyPositions = keyPositions;
        this.duplicateKeys = List.copyOf(duplicateKeys);
    }

    /**
     * A key that appeared more than once in one object.
     *
     * @param parent the path of the object holding the key
     * @param key    the key
     * @param first  where the kept, first occurrence was written
     * @param again  where the repetition was written
     */
    public record DuplicateKey(String parent, String key, Position first, Position again) {

        /** The path of the key: its object's path and the key. */
        public String path() {
            return child(parent, key);
        }
    }

    /**
     * Malformed JSON: what the parser expected and where.
     */
    public static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Position position;

        SyntaxException(String message, Position position) {
            super(message);
            this.position = position;
        }

        /** Where the parser stopped. */
        public Position position() {
            return position;
        }
    }

    /**
     * Parses one JSON document.
     *
     * @throws SyntaxException when the text is not one well-formed JSON value (empty, malformed,
     *                         or followed by more content), naming the line, column and what
     *                         the parser expected there
     */
    public static LocatedJson parse(byte[] json) throws SyntaxException {
        Objects.requireNonNull(json, "json");
        Builder builder = new Builder();
        JsonParser parser;
        try {
            parser = FACTORY.createParser(json);
        } catch (IOException e) {
            throw new SyntaxException("cannot read the document: " + e.getMessage(), Position.UNKNOWN);
        }
        try (parser) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new SyntaxException("the document is empty; expected a JSON object",
                        new Position(1, 1));
            }
            JsonNode root = builder.value(parser, "");
            JsonToken after = parser.nextToken();
            if (after != null) {
                throw new SyntaxException("unexpected " + describe(after)
                        + " after the end of the document", position(parser.currentTokenLocation()));
            }
            return new LocatedJson(root, builder.values, builder.keys, builder.duplicates);
        } catch (JsonProcessingException e) {
            // Limits (nesting depth, number length) are reported without a location: use the parser's.
            JsonLocation at = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
            throw new SyntaxException(e.getOriginalMessage(), position(at));
        } catch (IOException e) {
            throw new SyntaxException("cannot read the document: " + e.getMessage(), Position.UNKNOWN);
        }
    }

    /** The document's root value. */
    public JsonNode root() {
        return root;
    }

    /** Where the value at {@code path} starts, or where its key is, or {@link Position#UNKNOWN}. */
    public Position valueAt(String path) {
        Position p = valuePositions.get(path);
        return p != null ? p : keyAt(path);
    }

    /** Where the key of the value at {@code path} is, or {@link Position#UNKNOWN}. */
    public Position keyAt(String path) {
        return keyPositions.getOrDefault(path, Position.UNKNOWN);
    }

    /** Every key that was written more than once in its object, in document order. */
    public List<DuplicateKey> duplicateKeys() {
        return duplicateKeys;
    }

    /** The path of {@code key} inside the object at {@code parent}. */
    public static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /** The path of element {@code index} of the array at {@code parent}. */
    public static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }

    private static Position position(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return Position.UNKNOWN;
        }
        return new Position(location.getLineNr(), Math.max(location.getColumnNr(), 1));
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "'{'";
            case START_ARRAY -> "'['";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            default -> "content";
        };
    }

    /** Builds the tree from the current token on, recording positions. */
    private static final class Builder {
        private final JsonNodeFactory nodes = JsonNodeFactory.instance;
        private final Map<String, Position> values = new HashMap<>();
        private final Map<String, Position> keys = new HashMap<>();
        private final List<DuplicateKey> duplicates = new ArrayList<>();

        JsonNode value(JsonParser parser, String path) throws IOException {
            values.put(path, position(parser.currentTokenLocation()));
            JsonToken token = parser.currentToken();
            return switch (token) {
                case START_OBJECT -> object(parser, path);
                case START_ARRAY -> array(parser, path);
                case VALUE_STRING -> nodes.textNode(parser.getText());
                case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                    case INT -> nodes.numberNode(parser.getIntValue());
                    case LONG -> nodes.numberNode(parser.getLongValue());
                    default -> nodes.numberNode(parser.getBigIntegerValue());
                };
                case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDecimalValue());
                case VALUE_TRUE -> nodes.booleanNode(true);
                case VALUE_FALSE -> nodes.booleanNode(false);
                case VALUE_NULL -> nodes.nullNode();
                default -> throw new IllegalStateException("unexpected token " + token);
            };
        }

        private ObjectNode object(JsonParser parser, String path) throws IOException {
            ObjectNode object = nodes.objectNode();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                String keyPath = child(path, key);
                Position keyPosition = position(parser.currentTokenLocation());
                parser.nextToken();
                if (object.has(key)) {
                    duplicates.add(new DuplicateKey(path, key, keys.get(keyPath), keyPosition));
                    parser.skipChildren();
                    continue;
                }
                keys.put(keyPath, keyPosition);
                object.set(key, value(parser, keyPath));
            }
            return object;
        }

        private ArrayNode array(JsonParser parser, String path) throws IOException {
            ArrayNode array = nodes.arrayNode();
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                array.add(value(parser, element(path, index++)));
            }
            return array;
        }
    }
}
