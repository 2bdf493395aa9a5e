package io.edgefn.devices.spherelink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON of Sphere link payloads (TELEMETRY, EVENT, COMMAND and HELLO bodies are JSON objects):
 * one Jackson mapper and the few helpers both ends of a link need — this driver and a second
 * implementation of the protocol such as a simulator. Thread-safe.
 */
public final class Payloads {
    /** The mapper every payload is read and written with. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Payloads() {
    }

    /** {@code payload} parsed as a JSON object, or {@code null} when it is not one. */
    public static ObjectNode objectOrNull(byte[] payload) {
        try {
            JsonNode node = MAPPER.readTree(payload);
            return node instanceof ObjectNode o ? o : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** A cheap check that {@code payload} looks like a JSON object: braces at both ends. */
    public static boolean looksLikeObject(byte[] payload) {
        int start = 0;
        int end = payload.length - 1;
        while (start <= end && Character.isWhitespace(payload[start])) {
            start++;
        }
        while (end >= start && Character.isWhitespace(payload[end])) {
            end--;
        }
        return start < end && payload[start] == '{' && payload[end] == '}';
    }

    /** {@code value} as JSON bytes. */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A new, empty JSON object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
