package io.edgefn.api;

import java.util.Map;
import java.util.Optional;

/**
 * A function's settings: an immutable tree of JSON values (strings, numbers, booleans, lists and
 * nested maps) read from the deployment. Getters with a default return it when the key is missing;
 * a present value of the wrong type is an error that names the key.
 *
 * <p>A method may take its settings as a parameter instead of through
 * {@link FunctionContext#settings()}: the same settings, read when the invocation starts (for a
 * {@link DesiredPropertiesTrigger} method, after its patch was merged). Immutable and thread-safe.
 */
public interface Settings {

    /** The setting {@code key} as text, if present and a string. */
    Optional<String> string(String key);

    /** The setting {@code key} as a number, or {@code defaultValue} when absent. */
    double number(String key, double defaultValue);

    /** The setting {@code key} as a whole number, or {@code defaultValue} when absent. */
    long integer(String key, long defaultValue);

    /** The setting {@code key} as a boolean, or {@code defaultValue} when absent. */
    boolean bool(String key, boolean defaultValue);

    /** Every setting, as an unmodifiable map of JSON-like values. */
    Map<String, Object> asMap();
}
