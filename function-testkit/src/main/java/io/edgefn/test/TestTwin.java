package io.edgefn.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.edgefn.api.Twin;
import io.edgefn.bindings.JsonMergePatch;
import java.util.Map;
import java.util.Objects;

/**
 * A function's twin in the kit: the desired properties it was started with, and the reported
 * properties the function patches, kept for the test to read. No size limit and no listener.
 * Thread-safe.
 */
final class TestTwin implements Twin {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, Object> desired;
    private JsonNode reported = JsonNodeFactory.instance.objectNode();

    TestTwin(Map<String, ?> desired) {
        this.desired = desired == null ? Map.of() : Map.copyOf(desired);
    }

    @Override
    public Map<String, Object> desired() {
        return desired;
    }

    @Override
    public long desiredVersion() {
        return 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized Map<String, Object> reported() {
        return java.util.Collections.unmodifiableMap(MAPPER.convertValue(reported, Map.class));
    }

    @Override
    public synchronized void patchReported(Map<String, ?> patch) {
        Objects.requireNonNull(patch, "patch");
        JsonNode tree;
        try {
            tree = MAPPER.valueToTree(patch);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the reported patch is not JSON-like: " + e.getMessage(), e);
        }
        reported = JsonMergePatch.apply(reported, tree);
    }

    /** The reported properties as JSON. */
    synchronized JsonNode reportedJson() {
        return reported.deepCopy();
    }
}
