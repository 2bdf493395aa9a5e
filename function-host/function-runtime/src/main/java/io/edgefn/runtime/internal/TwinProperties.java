package io.edgefn.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.api.Twin;
import io.edgefn.bindings.BindingException;
import io.edgefn.bindings.JsonMergePatch;
import io.edgefn.bindings.JsonSettings;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One function's twin as the host keeps it: the package's settings (fixed for the deployment),
 * the desired properties (the deployment's {@code desired} for the function, then every patch
 * applied in version order) and the settings they make together, and the reported properties the
 * function publishes. In memory: a restarted host starts again from the deployment, and the
 * function reports anew.
 *
 * <p>Thread-safe. Changes happen under one lock and publish immutable snapshots through volatile
 * fields, so an invocation reads its settings without locking; the reported-patch listener (the
 * embedding application's code) is called after the lock is released, on the thread of the
 * invocation that patched, and whatever it throws is logged and ignored.
 */
final class TwinProperties implements Twin {

    /** The largest reported properties, as JSON, IoT Hub allows per side of a twin. */
    static final int MAX_REPORTED_BYTES = 32 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(TwinProperties.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String function;
    private final JsonNode packageSettings;
    private final BiConsumer<String, JsonNode> reportedListener;
    private final Object lock = new Object();
    private volatile ObjectNode desired;
    private volatile long desiredVersion;
    private volatile JsonSettings settings;
    private volatile ObjectNode reported = JsonNodeFactory.instance.objectNode();
    private volatile long reportedVersion;

    /**
     * @param packageSettings  the package's settings for the function, or {@code null}
     * @param desired          the deployment's desired properties for it, or {@code null}
     * @param reportedListener told of every reported patch, or {@code null}
     * @throws BindingException when either is not a JSON object
     */
    TwinProperties(String function, JsonNode packageSettings, JsonNode desired, BiConsumer<String, JsonNode> reportedListener) {
        this.function = Objects.requireNonNull(function, "function");
        this.packageSettings = packageSettings;
        this.reportedListener = reportedListener;
        this.settings = JsonSettings.of(function, packageSettings, desired);
        this.desired = desired == null || !desired.isObject() ? JsonNodeFactory.instance.objectNode() : desired.deepCopy();
    }

    /** A twin with no settings and no listener, for functions built without a deployment (tests). */
    static TwinProperties none(String function) {
        return new TwinProperties(function, null, null, null);
    }

    /** The settings now: what an invocation starting now reads. */
    JsonSettings settings() {
        return settings;
    }

    /**
     * Merges {@code patch} (JSON merge patch) into the desired properties and the settings, unless
     * {@code version} is not newer than the last one applied; returns whether it was applied.
     *
     * @throws IllegalArgumentException when {@code patch} is not a JSON object
     */
    boolean applyDesired(JsonNode patch, long version) {
        if (patch == null || !patch.isObject()) {
            throw new IllegalArgumentException("a desired patch of '" + function + "' must be a JSON object, was "
                    + (patch == null ? "null" : patch.getNodeType()));
        }
        synchronized (lock) {
            if (version <= desiredVersion) {
                return false;
            }
            ObjectNode merged = (ObjectNode) JsonMergePatch.apply(desired, withoutMetadata(patch));
            JsonSettings next = JsonSettings.of(function, packageSettings, merged);
            desired = merged;
            settings = next;
            desiredVersion = version;
            return true;
        }
    }

    /** IoT Hub's {@code $version} (and any other {@code $} key) is the twin's metadata, not a setting. */
    static JsonNode withoutMetadata(JsonNode patch) {
        ObjectNode copy = ((ObjectNode) patch).deepCopy();
        copy.properties().removeIf(e -> e.getKey().startsWith("$"));
        return copy;
    }

    /** The desired properties with their {@code $version}, a copy. */
    ObjectNode desiredDocument() {
        synchronized (lock) {
            return desired.deepCopy().put("$version", desiredVersion);
        }
    }

    /** The reported properties with their {@code $version} (how many patches were applied), a copy. */
    ObjectNode reportedDocument() {
        synchronized (lock) {
            return reported.deepCopy().put("$version", reportedVersion);
        }
    }

    @Override
    public Map<String, Object> desired() {
        return asMap(desired);
    }

    @Override
    public long desiredVersion() {
        return desiredVersion;
    }

    @Override
    public Map<String, Object> reported() {
        return asMap(reported);
    }

    @Override
    public void patchReported(Map<String, ?> patch) {
        Objects.requireNonNull(patch, "patch");
        JsonNode tree;
        try {
            tree = JSON.valueToTree(patch);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a reported patch of '" + function + "' must hold JSON-like values: "
                    + e.getMessage(), e);
        }
        if (tree.properties().stream().anyMatch(e -> e.getKey().startsWith("$"))) {
            throw new IllegalArgumentException("a reported patch of '" + function
                    + "' may not set keys starting with '$': they are the twin's metadata");
        }
        synchronized (lock) {
            ObjectNode merged = (ObjectNode) JsonMergePatch.apply(reported, tree);
            int size = merged.toString().getBytes(StandardCharsets.UTF_8).length;
            if (size > MAX_REPORTED_BYTES) {
                throw new IllegalArgumentException("the reported properties of '" + function + "' would be " + size
                        + " bytes of JSON with this patch, more than the " + MAX_REPORTED_BYTES + " a twin holds;"
                        + " the patch was not applied");
            }
            reported = merged;
            reportedVersion++;
        }
        if (reportedListener != null) {
            try {
                reportedListener.accept(function, tree.deepCopy());
            } catch (Throwable t) {
                LOG.warn("function {}: the reported-properties listener failed on a patch: {}", function,
                        Failures.describe(t));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(ObjectNode node) {
        return Collections.unmodifiableMap(JSON.convertValue(node, LinkedHashMap.class));
    }
}
