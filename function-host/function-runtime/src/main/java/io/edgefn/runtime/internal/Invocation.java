package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import io.edgefn.api.Twin;
import io.edgefn.bindings.InvocationScope;
import java.time.InstantSource;

/**
 * One call of a function method: the triggering message (none for a timer), its id, and the
 * outputs it fills. Owned by the thread running the invocation.
 */
final class Invocation extends InvocationScope {

    private final Twin twin;
    private System.Logger logger;

    /** An invocation reading the settings {@code twin} has now, for its whole run. */
    Invocation(String functionName, String invocationId, Message message, InstantSource clock, TwinProperties twin) {
        super(functionName, invocationId, message, clock, twin.settings());
        this.twin = twin;
    }

    @Override
    public System.Logger logger() {
        if (logger == null) { // most invocations never log: no logger lookup on the hot path
            logger = new InvocationLogger(functionName(), invocationId());
        }
        return logger;
    }

    @Override
    public Twin twin() {
        return twin;
    }
}
