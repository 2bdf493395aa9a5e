package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import java.util.concurrent.CompletableFuture;

/**
 * The input of an external module (declared in the deployment's {@code modules}) that nothing
 * connects in this version: every delivery is refused with a message that says why, so the
 * producer is never acknowledged for what no one took.
 */
final class UnconnectedModuleSink implements MessageSink {

    private final String address;
    private final String moduleId;

    UnconnectedModuleSink(String moduleId, String address) {
        this.moduleId = moduleId;
        this.address = address;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public CompletableFuture<Void> accept(Message message, int priority, long timeToLiveSecs, Patience patience) {
        return CompletableFuture.failedFuture(new IllegalStateException("no function or connected module '" + moduleId
                + "' takes " + address + " (external modules connect through the MQTT edge hub, which this host does not run)"));
    }
}
