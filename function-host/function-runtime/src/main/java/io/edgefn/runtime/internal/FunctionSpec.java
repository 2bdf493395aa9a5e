package io.edgefn.runtime.internal;

import io.edgefn.runtime.RetryPolicy;

/**
 * How the host runs one function: its name, limits and settings.
 *
 * @param name the function's name
 * @param maxConcurrency invocations at once, at least 1
 * @param timeoutMillis per invocation
 * @param retryPolicy how a failed invocation is retried before dead-lettering
 * @param queueCapacity messages that may wait for it
 * @param twin its settings and twin ({@code null}: none, for tests)
 * @param safetyCritical whether it is on the safety path (device → … → device command)
 */
record FunctionSpec(String name, int maxConcurrency, long timeoutMillis, RetryPolicy retryPolicy, int queueCapacity,
                           TwinProperties twin, boolean safetyCritical) {

    /** A missing twin is an empty one. */
    FunctionSpec {
        if (twin == null) {
            twin = TwinProperties.none(name);
        }
    }
}
