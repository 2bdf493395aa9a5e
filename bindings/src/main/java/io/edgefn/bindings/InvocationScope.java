package io.edgefn.bindings;

import io.edgefn.api.FunctionContext;
import io.edgefn.api.Message;
import io.edgefn.api.Settings;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * One call of a function method as its bindings see it: the triggering message (none for a
 * timer), the invocation's id, the settings read for its whole run, and the outputs it fills. The
 * host's invocations and the test kit's are this, each adding what only it has (a logger, a twin).
 *
 * <p>Owned by the thread running the invocation.
 */
public abstract class InvocationScope implements FunctionContext, BindingScope {

    private final String functionName;
    private final String invocationId;
    private final Message message;
    private final InstantSource clock;
    private final Settings settings;
    private final List<CollectingOutput<?>> outputs = new ArrayList<>(1);
    private io.edgefn.api.HttpRequestData httpRequest;

    /** A scope for one call of function {@code functionName}. */
    protected InvocationScope(String functionName, String invocationId, Message message, InstantSource clock,
                              Settings settings) {
        this.functionName = functionName;
        this.invocationId = invocationId;
        this.message = message;
        this.clock = clock;
        this.settings = settings;
    }

    /** The outputs the call filled, in the order it asked for them. */
    public final List<CollectingOutput<?>> outputs() {
        return outputs;
    }

    @Override
    public final Message message() {
        return message;
    }

    /** Sets the HTTP request that triggered this call, before its binders run. */
    public final void httpRequest(io.edgefn.api.HttpRequestData request) {
        this.httpRequest = request;
    }

    @Override
    public final io.edgefn.api.HttpRequestData httpRequest() {
        return httpRequest;
    }

    @Override
    public final FunctionContext context() {
        return this;
    }

    @Override
    public final void addOutput(CollectingOutput<?> output) {
        outputs.add(output);
    }

    @Override
    public final String functionName() {
        return functionName;
    }

    @Override
    public final String invocationId() {
        return invocationId;
    }

    @Override
    public final InstantSource clock() {
        return clock;
    }

    @Override
    public final Settings settings() {
        return settings;
    }
}
