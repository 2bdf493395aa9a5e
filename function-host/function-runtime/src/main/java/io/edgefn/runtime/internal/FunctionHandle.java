package io.edgefn.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.runtime.MethodResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link io.edgefn.runtime.EdgeHost} may do with one running function from outside the
 * internal package: call its direct methods, patch its desired properties, read its twin. A thin
 * view of a {@link FunctionRuntime}; thread-safe as it is, and never blocking.
 */
public final class FunctionHandle {

    private final FunctionRuntime function;

    FunctionHandle(FunctionRuntime function) {
        this.function = function;
    }

    /** See {@link FunctionRuntime#invokeMethod}. */
    public CompletableFuture<MethodResponse> invokeMethod(String method, byte[] payload, Duration timeout) {
        return function.invokeMethod(method, payload, timeout);
    }

    /** The direct methods it serves. */
    public Set<String> directMethods() {
        return function.directMethods();
    }

    /** See {@link FunctionRuntime#applyDesired}. */
    public boolean applyDesired(JsonNode patch, long version) {
        return function.applyDesired(patch, version);
    }

    /** Its desired properties with their {@code $version}, a copy. */
    public ObjectNode desiredProperties() {
        return function.twin().desiredDocument();
    }

    /** Its reported properties with their {@code $version}, a copy. */
    public ObjectNode reportedProperties() {
        return function.twin().reportedDocument();
    }
}
