package io.edgefn.test;

import io.edgefn.api.FunctionContext;
import io.edgefn.api.Message;
import io.edgefn.api.Settings;
import io.edgefn.bindings.BindingScope;
import io.edgefn.bindings.CollectingOutput;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/** One call of a function method in the kit: the host's invocation, without watchdog or retries. */
final class TestInvocation implements FunctionContext, BindingScope {

    private final String functionName;
    private final String invocationId;
    private final Message message;
    private final InstantSource clock;
    private final Settings settings;
    final List<CollectingOutput<?>> outputs = new ArrayList<>(1);

    TestInvocation(String functionName, String invocationId, Message message, InstantSource clock, Settings settings) {
        this.functionName = functionName;
        this.invocationId = invocationId;
        this.message = message;
        this.clock = clock;
        this.settings = settings;
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
        return System.getLogger("edgefn.function." + functionName);
    }

    @Override
    public InstantSource clock() {
        return clock;
    }

    @Override
    public Settings settings() {
        return settings;
    }
}
