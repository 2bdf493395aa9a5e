package io.edgefn.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Reads the {@code "message"} object of a route-check line into a {@link Message}: properties,
 * system properties (names without {@code $}; {@code contentType} and {@code contentEncoding} also
 * at the top level), and at most one of {@code body} (any JSON, serialised as UTF-8),
 * {@code bodyText} and {@code bodyBase64}; any other key is an error. The line's {@code source} (or
 * one inside the message) sets the system properties
 * edgeHub derives a source from, unless given. Stateless.
 */
final class MessageJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The keys a message object may have; {@code source} is read by {@link RouteCheck#sourceOf}. */
    static final java.util.List<String> KEYS = java.util.List.of("properties", "systemProperties", "contentType",
            "contentEncoding", "body", "bodyText", "bodyBase64", "source");

    private MessageJson() {
    }

    static Message read(JsonNode node, String source) {
        Message.Builder b = Message.builder();
        if (node != null && !node.isNull()) {
            if (!node.isObject()) {
                throw new RouteCheck.BadInput("\"message\" must be an object");
            }
            for (String key : (Iterable<String>) node::fieldNames) {
                if (!KEYS.contains(key)) {
                    // A key read nowhere would make a check silently answer for another message.
                    throw new RouteCheck.BadInput("\"message\" has an unknown key \"" + key + "\"; it may have "
                            + String.join(", ", KEYS.stream().map(k -> "\"" + k + "\"").toList())
                            + " (application properties go in \"properties\")");
                }
            }
            for (Map.Entry<String, JsonNode> e : fields(node, "properties")) {
                b.property(name(e.getKey(), "properties"), value(e.getValue(), "properties." + e.getKey()));
            }
            for (String top : new String[] {SystemProperties.CONTENT_TYPE, SystemProperties.CONTENT_ENCODING}) {
                if (node.has(top)) {
                    b.systemProperty(top, value(node.get(top), top));
                }
            }
            for (Map.Entry<String, JsonNode> e : fields(node, "systemProperties")) {
                String key = e.getKey().startsWith("$") ? e.getKey().substring(1) : e.getKey();
                b.systemProperty(name(key, "systemProperties"), value(e.getValue(), "systemProperties." + e.getKey()));
            }
            int bodies = (node.has("body") ? 1 : 0) + (node.has("bodyText") ? 1 : 0) + (node.has("bodyBase64") ? 1 : 0);
            if (bodies > 1) {
                throw new RouteCheck.BadInput("give at most one of \"body\", \"bodyText\" and \"bodyBase64\"");
            }
            if (node.has("body")) {
                try {
                    b.body(JSON.writeValueAsString(node.get("body")).getBytes(StandardCharsets.UTF_8));
                } catch (JsonProcessingException e) {
                    throw new RouteCheck.BadInput("\"body\" cannot be serialised: " + e.getOriginalMessage());
                }
            } else if (node.has("bodyText")) {
                b.body(requireText(node.get("bodyText"), "bodyText"));
            } else if (node.has("bodyBase64")) {
                try {
                    b.body(Base64.getDecoder().decode(requireText(node.get("bodyBase64"), "bodyBase64")));
                } catch (IllegalArgumentException e) {
                    throw new RouteCheck.BadInput("\"bodyBase64\" is not base64: " + e.getMessage());
                }
            }
        }
        applySource(b, source);
        return b.build();
    }

    private static void applySource(Message.Builder b, String source) {
        Message probe = b.build();
        String s = source.strip();
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        String[] segs = s.substring(s.startsWith("/") ? 1 : 0).split("/", -1);
        if (segs.length == 1 && segs[0].equalsIgnoreCase("twinChangeNotifications")) {
            setIfAbsent(b, probe, SystemProperties.MESSAGE_TYPE, SystemProperties.TWIN_CHANGE_NOTIFICATION);
        } else if (segs.length == 1 && segs[0].equalsIgnoreCase("messages")) {
            return;
        } else if (segs.length >= 3 && segs[0].equalsIgnoreCase("messages") && segs[1].equalsIgnoreCase("modules")
                && !segs[2].isEmpty() && (segs.length == 3 || (segs.length == 5 && segs[3].equalsIgnoreCase("outputs")
                && !segs[4].isEmpty()))) {
            setIfAbsent(b, probe, SystemProperties.CONNECTION_MODULE_ID, segs[2]);
            if (segs.length == 5) {
                setIfAbsent(b, probe, SystemProperties.OUTPUT_NAME, segs[4]);
            }
        } else {
            throw new RouteCheck.BadInput("\"source\" must be /messages, /messages/modules/{m}, "
                    + "/messages/modules/{m}/outputs/{o} or /twinChangeNotifications, was '" + source + "'");
        }
    }

    private static void setIfAbsent(Message.Builder b, Message probe, String name, String value) {
        if (probe.systemProperty(name) == null) {
            b.systemProperty(name, value);
        }
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return java.util.List.of();
        }
        if (!v.isObject()) {
            throw new RouteCheck.BadInput("\"" + field + "\" must be an object of name: string or null");
        }
        return v.properties();
    }

    private static String name(String name, String where) {
        if (name.isEmpty()) {
            throw new RouteCheck.BadInput("an empty property name in \"" + where + "\"");
        }
        return name;
    }

    private static String value(JsonNode v, String where) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new RouteCheck.BadInput("\"" + where + "\" must be a string or null, was " + v);
        }
        return v.textValue();
    }

    private static String requireText(JsonNode v, String where) {
        if (!v.isTextual()) {
            throw new RouteCheck.BadInput("\"" + where + "\" must be a string");
        }
        return v.textValue();
    }
}
