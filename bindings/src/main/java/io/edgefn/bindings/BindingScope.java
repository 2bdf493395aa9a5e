package io.edgefn.bindings;

import io.edgefn.api.FunctionContext;
import io.edgefn.api.Message;

/**
 * One invocation of a function method, as the parameter binders see it: what triggered it, its
 * context, and where the outputs it creates are kept for the host to route.
 *
 * <p>The host's invocation implements this. Owned by the thread running the invocation: binders
 * call it on that thread, before the method runs.
 */
public interface BindingScope {

    /** The triggering message, or {@code null} for a timer tick. */
    Message message();

    /** The invocation's context, as a {@code FunctionContext} parameter receives it. */
    FunctionContext context();

    /**
     * Keeps {@code output}, which a binder created for this invocation, so that the host routes
     * what is sent to it once the invocation has succeeded.
     */
    void addOutput(CollectingOutput<?> output);

    /** The HTTP request that triggered the invocation, or {@code null} when no HTTP request did. */
    default io.edgefn.api.HttpRequestData httpRequest() {
        return null;
    }
}
