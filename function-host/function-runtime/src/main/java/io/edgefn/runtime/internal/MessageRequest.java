package io.edgefn.runtime.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON document of a management API {@code POST /messages}, read into the message it asks
 * the host to route. The shape (docs/management-api.md):
 * <pre>
 * {"deviceId": "sensor-1",                       required: the device the message is from
 *  "properties": {"alert": "true"},               optional: application properties, strings only
 *  "body": "{\"temperature\": 99}",               the body as text (UTF-8), or
 *  "bodyBase64": "eyJ0ZW1w...",                   the body's bytes in Base64; neither: an empty body
 *  "contentType": "application/json",             optional system properties
 *  "contentEncoding": "utf-8", "messageId": "…", "correlationId": "…"}
 * </pre>
 * Every problem is collected and reported at once, each naming the field. Stateless.
 */
final class MessageRequest {

    /** Largest body taken, as the edge hub takes from MQTT: IoT Hub's 256 KB device-to-cloud limit. */
    static final int MAX_BODY_BYTES = 262_143;

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final List<String> FIELDS = List.of("deviceId", "properties", "body", "bodyBase64", "contentType",
            "contentEncoding", "messageId", "correlationId");
    /** The system properties a request may set, by field name; the host stamps the rest. */
    private static final Map<String, String> SYSTEM_FIELDS = Map.of("contentType", SystemProperties.CONTENT_TYPE,
            "contentEncoding", SystemProperties.CONTENT_ENCODING, "messageId", SystemProperties.MESSAGE_ID,
            "correlationId", SystemProperties.CORRELATION_ID);
    /** IoT Hub's device id characters besides ASCII letters and digits. */
    private static final Set<Character> ID_SYMBOLS = Set.of('-', ':', '.', '+', '%', '_', '#', '*', '?', '!', '(', ')',
            ',', '=', '@', '$', '\'');
    private static final int MAX_ID_LENGTH = 128;

    /** What is wrong with a request, in words for its sender; {@code tooLarge} when it is only the body's size. */
    static final class Invalid extends Exception {
        private final boolean tooLarge;

        Invalid(String message, boolean tooLarge) {
            super(message, null, false, false);
            this.tooLarge = tooLarge;
        }

        boolean tooLarge() {
            return tooLarge;
        }
    }

    /** The device a request names, and the message it sends as that device. */
    record Parsed(String deviceId, Message message) {
    }

    private MessageRequest() {
    }

    /**
     * Reads {@code json}.
     *
     * @throws Invalid naming every problem: not JSON, not an object, a missing or malformed field,
     *     an unknown one; or the body over {@link #MAX_BODY_BYTES}
     */
    static Parsed parse(byte[] json) throws Invalid {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new Invalid("the request is not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"), false);
        } catch (IOException e) {
            throw new Invalid("the request could not be read: " + e.getMessage(), false);
        }
        if (root == null || !root.isObject()) {
            throw new Invalid("the request must be a JSON object like {\"deviceId\": \"sensor-1\", \"body\": \"…\"}, was "
                    + (root == null || root.isMissingNode() ? "empty" : kind(root)), false);
        }
        List<String> problems = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problems.add("unknown field '" + io.edgefn.api.LogText.escape(name) + "' (known: " + String.join(", ", FIELDS) + ")");
            }
        }
        String deviceId = text(root, "deviceId", problems);
        if (deviceId == null && !root.has("deviceId")) {
            problems.add("deviceId is missing: name the device the message is from");
        } else if (deviceId != null) {
            checkId("deviceId", deviceId, problems);
        }
        Message.Builder message = Message.builder();
        JsonNode properties = root.get("properties");
        if (properties != null && !properties.isObject()) {
            problems.add("properties must be an object of strings, was " + kind(properties));
        } else if (properties != null) {
            properties.properties().forEach(p -> {
                if (p.getKey().isEmpty()) {
                    problems.add("properties: a property name must not be empty");
                } else if (!p.getValue().isTextual()) {
                    problems.add("properties." + io.edgefn.api.LogText.escape(p.getKey()) + " must be a string, was "
                            + kind(p.getValue()));
                } else {
                    message.property(p.getKey(), p.getValue().asText());
                }
            });
        }
        SYSTEM_FIELDS.forEach((field, property) -> {
            String value = text(root, field, problems);
            if (value != null) {
                if (value.isEmpty() || value.length() > MAX_ID_LENGTH) {
                    problems.add(field + " must have 1 to " + MAX_ID_LENGTH + " characters, had " + value.length());
                } else {
                    message.systemProperty(property, value);
                }
            }
        });
        byte[] body = body(root, problems);
        if (!problems.isEmpty()) {
            throw new Invalid(String.join("; ", problems), false);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new Invalid("the body of " + body.length + " bytes is over the limit of " + MAX_BODY_BYTES
                    + " bytes (IoT Hub's 256 KB)", true);
        }
        return new Parsed(deviceId, message.body(body).build());
    }

    private static byte[] body(JsonNode root, List<String> problems) {
        String text = text(root, "body", problems);
        String base64 = text(root, "bodyBase64", problems);
        if (text != null && base64 != null) {
            problems.add("give the body as either 'body' (text) or 'bodyBase64' (bytes), not both");
            return new byte[0];
        }
        if (base64 != null) {
            try {
                return Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                problems.add("bodyBase64 is not Base64: " + e.getMessage());
            }
        }
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }

    /** The string field {@code name}, or null when absent or not a string (a problem then). */
    private static String text(JsonNode root, String name, List<String> problems) {
        JsonNode node = root.get(name);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            problems.add(name + " must be a string, was " + kind(node));
            return null;
        }
        return node.asText();
    }

    private static void checkId(String field, String id, List<String> problems) {
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            problems.add(field + " must have 1 to " + MAX_ID_LENGTH + " characters, had " + id.length());
            return;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = c < 128 && (Character.isLetterOrDigit(c) || ID_SYMBOLS.contains(c));
            if (!ok) {
                problems.add(field + " '" + io.edgefn.api.LogText.escape(id) + "' has '" + io.edgefn.api.LogText.escape(
                        String.valueOf(c)) + "' at position " + (i + 1) + "; a device id has ASCII letters, digits and "
                        + "- : . + % _ # * ? ! ( ) , = @ $ ' only");
                return;
            }
        }
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case NUMBER -> "a number";
            case OBJECT -> "an object";
            case STRING -> "a string";
            default -> "something else";
        };
    }
}
