package io.edgefn.deploy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one byte form of a JSON document that a signature covers: object members sorted by name
 * (by UTF-16 code units, as RFC 8785 sorts them), no whitespace, strings and numbers as Jackson
 * writes them. Two documents that differ only in layout or member order have the same canonical
 * form; any change of a name or value changes it.
 *
 * <p>Signer and verifier both parse the document with Jackson before canonicalising, so a number
 * is written back the way it was read. Stateless and thread-safe.
 */
public final class CanonicalJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CanonicalJson() {
    }

    /** The canonical UTF-8 bytes of {@code node}. */
    public static byte[] bytes(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            write(node, g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    private static void write(JsonNode node, JsonGenerator g) throws IOException {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
            members.sort(Map.Entry.comparingByKey());
            g.writeStartObject();
            for (Map.Entry<String, JsonNode> m : members) {
                g.writeFieldName(m.getKey());
                write(m.getValue(), g);
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode element : node) {
                write(element, g);
            }
            g.writeEndArray();
        } else {
            JSON.writeTree(g, node);
        }
    }
}
