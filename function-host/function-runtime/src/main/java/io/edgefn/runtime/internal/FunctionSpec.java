package io.edgefn.runtime.internal;

import io.edgefn.api.Settings;

/**
 * How the host runs one function: its name, limits and settings.
 *
 * @param name the function's name
 * @param maxConcurrency invocations at once, at least 1
 * @param timeoutMillis per invocation
 * @param retries how often a failed invocation is retried before dead-lettering
 * @param queueCapacity messages that may wait for it
 * @param settings its settings
 * @param safetyCritical whether it is on the safety path (device → … → device command)
 */
public record FunctionSpec(String name, int maxConcurrency, long timeoutMillis, int retries, int queueCapacity,
                           Settings settings, boolean safetyCritical) {
}
