package io.edgefn.api;

import java.util.Map;

/**
 * The reported properties of the function's twin — the state it publishes for the cloud to read —
 * as a parameter, for a method that reports without needing its whole {@link FunctionContext}.
 * It is the same twin as {@link FunctionContext#twin()}.
 *
 * <p>Values are JSON-like (strings, numbers, booleans, lists, nested maps, {@code null}); this API
 * has no Jackson dependency, so a {@code JsonNode} is patched by converting it to a map first.
 *
 * <p>Thread-safe; valid for the life of the deployment.
 */
public interface ReportedProperties {

    /** The reported properties now, as an unmodifiable map. */
    Map<String, Object> reported();

    /**
     * Merges {@code patch} into the reported properties (JSON merge patch: a {@code null} value
     * removes its key) and publishes it at once, whether or not the invocation later succeeds.
     *
     * @throws IllegalArgumentException when a value is not JSON-like, or the reported properties
     *                                  would exceed 32 KB as JSON (the patch is then not applied)
     */
    void patch(Map<String, ?> patch);
}
