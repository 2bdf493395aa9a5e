package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import io.edgefn.runtime.FunctionState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A function's input, in memory: a delivery is taken once it is in the function's queue. A
 * producer that may wait waits up to the queue wait for room; a device's reader waits only for a
 * function on the safety path; an event loop never waits (see {@link Patience}).
 */
final class FunctionInputSink implements MessageSink {

    private final FunctionRuntime function;
    private final String input;
    private final String address;
    private final Duration queueWait;

    FunctionInputSink(FunctionRuntime function, String input, String address, Duration queueWait) {
        this.function = function;
        this.input = input;
        this.address = address;
        this.queueWait = queueWait;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public CompletableFuture<Void> accept(Message message, int priority, long timeToLiveSecs, Patience patience) {
        Duration wait = switch (patience) {
            case NONE -> Duration.ZERO;
            case SAFETY_PATH -> function.safetyCritical() ? queueWait : Duration.ZERO;
            case QUEUE_WAIT -> queueWait;
        };
        try {
            if (function.offer(message, input, priority, wait, null)) {
                return CompletableFuture.completedFuture(null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
        FunctionState state = function.state();
        String why = state == FunctionState.RUNNING || state == FunctionState.STARTING || state == FunctionState.BACKING_OFF
                ? "its queue stayed full for " + wait.toMillis() + " ms"
                : "function '" + function.name() + "' is " + state + " and takes no messages";
        return CompletableFuture.failedFuture(new IllegalStateException("input " + address + " did not take the message: " + why));
    }

    @Override
    public boolean congested() {
        return function.congested();
    }

    @Override
    public void whenRelieved(Runnable action) {
        function.whenRelieved(action);
    }
}
