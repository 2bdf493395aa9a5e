package io.edgefn.devices.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The package's one Jackson mapper and the few JSON helpers the simulator needs. Thread-safe. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** {@code payload} parsed as a JSON object, or {@code null} when it is not one. */
    static ObjectNode objectOrNull(byte[] payload) {
        try {
            JsonNode node = MAPPER.readTree(payload);
            return node instanceof ObjectNode o ? o : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
