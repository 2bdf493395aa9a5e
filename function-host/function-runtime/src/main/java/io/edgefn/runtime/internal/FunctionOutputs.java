package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.bindings.CollectingOutput;
import io.edgefn.runtime.MessageOrigin;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes what one function sends into the host's {@link Ingress}, which stamps it (a fresh
 * message id unless the function set one, {@code enqueuedTime}, the function as its connection)
 * and routes it; and writes the dead letter of a message the function gave up on.
 *
 * <p>An invocation hands its outputs over and goes on: it does not wait on its thread for their
 * sinks (the {@code $upstream} fsync), so a function on the safety path never stalls behind a
 * disk. The returned futures say whether every sink then took them. A refusal is counted and
 * logged, not retried here: a retry would duplicate the outputs that were taken.
 *
 * <p>Thread-safe.
 */
final class FunctionOutputs {

    /** The output a message goes to when every attempt to process it failed. */
    static final String DEAD_LETTER_OUTPUT = "deadletter";

    private static final Logger LOG = LoggerFactory.getLogger(FunctionOutputs.class);

    private final String function;
    private final MessageOrigin origin;
    private final Ingress ingress;
    private final Duration outputWait;
    private final FunctionCounters counters;
    /** A full disk refuses every output: one line every 10 s, the rest counted (lostOutputs). */
    private final LogThrottle refusals = LogThrottle.everyTenSeconds();

    FunctionOutputs(String function, MessageOrigin origin, Ingress ingress, Duration outputWait, FunctionCounters counters) {
        this.function = function;
        this.origin = origin;
        this.ingress = ingress;
        this.outputWait = outputWait;
        this.counters = counters;
    }

    /**
     * Hands {@code outputs} to the ingress now, in order (a full function queue makes this thread
     * wait: back-pressure); completes with true when every sink took them, false when one refused.
     */
    CompletableFuture<Boolean> send(String invocationId, List<Message> outputs) {
        if (outputs.isEmpty()) {
            return CompletableFuture.completedFuture(true);
        }
        CompletableFuture<?>[] taken = new CompletableFuture<?>[outputs.size()];
        for (int i = 0; i < taken.length; i++) {
            taken[i] = ingress.submit(outputs.get(i), origin);
        }
        CompletableFuture<Void> all = taken.length == 1 ? taken[0].thenApply(x -> null) : CompletableFuture.allOf(taken);
        return all.orTimeout(outputWait.toMillis(), TimeUnit.MILLISECONDS).handle((ok, failure) -> {
            if (failure != null) {
                counters.lostOutputs.increment();
                long heldBack = refusals.tryAcquire();
                if (heldBack >= 0) {
                    LOG.error("function {} invocation {}: an output was not taken by its sinks ({} more since the last report;"
                            + " all counted in lostOutputs): {}", function, invocationId, heldBack,
                            Failures.rootCause(failure).toString());
                }
            }
            return failure == null;
        });
    }

    /** The function's counters, which its other parts count into too. */
    FunctionCounters counters() {
        return counters;
    }

    /** As {@link #deadLetter(BoundMethod, Message, Throwable, int)} after one attempt. */
    CompletableFuture<Boolean> deadLetter(BoundMethod method, Message message, Throwable failure) {
        return deadLetter(method, message, failure, 1);
    }

    /**
     * Routes the dead letter of {@code message}, which {@code method} failed on with {@code failure}
     * after {@code attempts} attempts; completes with whether its sinks took it. The letter keeps
     * the original's body and properties, adds {@code edgefn-error}, {@code edgefn-function},
     * {@code edgefn-input}, {@code edgefn-attempts} ({@link io.edgefn.api.Retry#ATTEMPTS_PROPERTY})
     * and {@code edgefn-original-message-id}, and gets an id of its own: it is a new message, and a
     * receiver de-duplicating by id must not take it for the original.
     */
    CompletableFuture<Boolean> deadLetter(BoundMethod method, Message message, Throwable failure, int attempts) {
        counters.deadLettered.increment();
        String why = Failures.describe(failure);
        counters.deadLetter(why);
        Message.Builder letter = message.toBuilder()
                .property("edgefn-error", why)
                .property(io.edgefn.api.Retry.ATTEMPTS_PROPERTY, Integer.toString(attempts))
                .property("edgefn-function", function)
                .property("edgefn-input", String.valueOf(method.input()))
                .systemProperty(SystemProperties.MESSAGE_ID, null);
        String originalId = message.systemProperty(SystemProperties.MESSAGE_ID);
        if (originalId != null) {
            letter.property("edgefn-original-message-id", originalId);
        }
        CompletableFuture<Void> taken;
        try {
            taken = ingress.submitDeadLetter(CollectingOutput.stamp(letter, function, DEAD_LETTER_OUTPUT), origin);
        } catch (RuntimeException e) {
            taken = CompletableFuture.failedFuture(e);
        }
        return taken.orTimeout(outputWait.toMillis(), TimeUnit.MILLISECONDS).handle((ok, e) -> {
            if (e != null) {
                long heldBack = refusals.tryAcquire();
                if (heldBack >= 0) {
                    LOG.error("function {}: a dead letter was not taken by its sinks ({} more refusals since the last report): {}",
                            function, heldBack, Failures.rootCause(e).toString());
                }
            }
            return e == null;
        });
    }
}
