package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Stands, in a function's dead-letter view of the route graph, for that function's own inputs. A
 * dead letter keeps the original's properties, so the route that brought the original may match
 * it again; sending it back would fail the same way, for ever. The letter is taken (and counted)
 * here instead — decided when the graph is bound, not per message.
 */
final class DeadLetterLoopGuard implements MessageSink {

    private final String address;
    private final LongAdder loops;

    DeadLetterLoopGuard(String address, LongAdder loops) {
        this.address = address;
        this.loops = loops;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public CompletableFuture<Void> accept(Message message, int priority, long timeToLiveSecs, Patience patience) {
        loops.increment();
        return CompletableFuture.completedFuture(null);
    }
}
