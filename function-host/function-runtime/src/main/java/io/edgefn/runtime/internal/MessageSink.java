package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import java.util.concurrent.CompletableFuture;

/**
 * Where a route delivers, resolved once when the {@link RouteGraph} is bound: a function's input
 * queue, a durable input, {@code $upstream}, an external module, or the guard that keeps a dead
 * letter from going back into the function that gave up on it.
 *
 * <p>Implementations are thread-safe: any number of producers deliver at once.
 */
interface MessageSink {

    /** The sink's address, as routes write it: {@code $upstream} or {@code /modules/{id}/inputs/{input}}. */
    String address();

    /**
     * Hands {@code message} over, waiting for room at most as long as {@code patience} allows
     * here. The future completes when the sink has taken the message — queued for a function, on
     * disk for a durable sink — and fails when it refused it (full, stopped, not connected); a
     * refusal that is known at once is already failed when this returns.
     *
     * @param priority        the route's priority, 0 (highest) … 9, or the default band
     * @param timeToLiveSecs  the route's time to live, 0 for the sink's default
     */
    CompletableFuture<Void> accept(Message message, int priority, long timeToLiveSecs, Patience patience);

    /** Whether producers should slow down: the sink is nearly full. */
    default boolean congested() {
        return false;
    }

    /** Runs {@code action} once the sink is no longer nearly full; at once when it is not. */
    default void whenRelieved(Runnable action) {
        action.run();
    }
}
