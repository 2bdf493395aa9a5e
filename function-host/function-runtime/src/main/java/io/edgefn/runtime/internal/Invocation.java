package io.edgefn.runtime.internal;

import io.edgefn.api.FunctionContext;
import io.edgefn.api.Message;
import io.edgefn.api.Settings;
import io.edgefn.api.Twin;
import io.edgefn.bindings.BindingScope;
import io.edgefn.bindings.CollectingOutput;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * One call of a function method: the triggering message (none for a timer), its id, and the
 * outputs it fills. Owned by the thread running the invocation.
 */
final class Invocation implements FunctionContext, BindingScope {

    private final String functionName;
    private final String invocationId;
    private final Message message;
    private final InstantSource clock;
    private final Settings settings;
    private final Twin twin;
    private System.Logger logger;
    final List<CollectingOutput<?>> outputs = new ArrayList<>(1);

    /** An invocation reading the settings {@code twin} has now, for its whole run. */
    Invocation(String functionName, String invocationId, Message message, InstantSource clock, TwinProperties twin) {
        this.functionName = functionName;
        this.invocationId = invocationId;
        this.message = message;
        this.clock = clock;
        this.settings = twin.settings();
        this.twin = twin;
    }

    @Override
    public Message message() {
        return message;
    }

    @Override
    public FunctionContext context() {
        return this;
    }

    @Override
    public void addOutput(CollectingOutput<?> output) {
        outputs.add(output);
    }

    @Override
    public String functionName() {
        return functionName;
    }

    @Override
    public String invocationId() {
        return invocationId;
    }

    @Override
    public System.Logger logger() {
        if (logger == null) { // most invocations never log: no logger lookup on the hot path
            logger = new InvocationLogger(functionName, invocationId);
        }
        return logger;
    }

    @Override
    public InstantSource clock() {
        return clock;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public Twin twin() {
        return twin;
    }
}
