package io.edgefn.test;

import io.edgefn.api.Message;
import io.edgefn.api.Settings;
import io.edgefn.api.Twin;
import io.edgefn.bindings.InvocationScope;
import java.time.InstantSource;

/** One call of a function method in the kit: the host's invocation, without watchdog or retries. */
final class TestInvocation extends InvocationScope {

    private final Twin twin;

    TestInvocation(String functionName, String invocationId, Message message, InstantSource clock, Settings settings,
                   Twin twin) {
        super(functionName, invocationId, message, clock, settings);
        this.twin = twin;
    }

    @Override
    public Twin twin() {
        return twin;
    }

    @Override
    public System.Logger logger() {
        return System.getLogger("edgefn.function." + functionName());
    }
}
