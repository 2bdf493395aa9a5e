package io.edgefn.api;

import java.util.Map;

/**
 * The function's own twin: the desired properties the cloud set for it and the reported
 * properties it publishes (its state for the cloud to read), as the host keeps them.
 *
 * <p>Thread-safe: the host keeps one twin per function, shared by its invocations. Values are
 * JSON-like (strings, numbers, booleans, lists, nested maps and {@code null}).
 */
public interface Twin {

    /** The desired properties now, as an unmodifiable map; the settings read them overlaid on the package's. */
    Map<String, Object> desired();

    /** The version of the last desired patch applied; 0 when only the deployment's {@code desired} is in force. */
    long desiredVersion();

    /** The reported properties now, as an unmodifiable map. */
    Map<String, Object> reported();

    /**
     * Merges {@code patch} into the reported properties (JSON merge patch: a {@code null} value
     * removes its key, a map merges into a map) and publishes it to the host's listeners at once,
     * whether or not the invocation later succeeds.
     *
     * @throws IllegalArgumentException when a value is not JSON-like, or the reported properties
     *                                  would exceed 32 KB as JSON (the patch is then not applied)
     */
    void patchReported(Map<String, ?> patch);
}
