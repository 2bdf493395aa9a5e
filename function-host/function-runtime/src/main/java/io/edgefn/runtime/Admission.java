package io.edgefn.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the host's ingress answers to a non-blocking {@link EdgeHost#offer offer}: whether every
 * sink took the message, and whether the producer should slow down.
 *
 * <p>{@link #taken()} completes when every sink the routes chose has taken the message (queued
 * for a function, on disk for {@code $upstream} and durable inputs) — only then may the producer
 * be acknowledged — or fails when one refused it. {@link #slowDown()} is true when a sink is
 * nearly full: an event loop should stop reading the producer's socket and resume when
 * {@link #whenRelieved} runs its action (at once when there is no pressure).
 *
 * @param taken      completes when every sink took the message
 * @param slowDown   whether a sink is nearly full
 * @param relief     registers an action to run once no sink of this message is nearly full
 */
public record Admission(CompletableFuture<Void> taken, boolean slowDown, Consumer<Runnable> relief) {

    /** Runs {@code action} once the sinks that asked to slow down have room again; at once when none did. */
    public void whenRelieved(Runnable action) {
        relief.accept(action);
    }
}
