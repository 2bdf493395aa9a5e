package io.edgefn.test;

import io.edgefn.api.Message;
import io.edgefn.api.Settings;
import io.edgefn.bindings.InvocationScope;
import java.time.InstantSource;

/** One call of a function method in the kit: the host's invocation, without watchdog or retries. */
final class TestInvocation extends InvocationScope {

    TestInvocation(String functionName, String invocationId, Message message, InstantSource clock, Settings settings) {
        super(functionName, invocationId, message, clock, settings);
    }

    @Override
    public System.Logger logger() {
        return System.getLogger("edgefn.function." + functionName());
    }
}
