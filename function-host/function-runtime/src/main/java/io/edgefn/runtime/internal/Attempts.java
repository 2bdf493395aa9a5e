package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import io.edgefn.bindings.BindingException;
import io.edgefn.runtime.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one message (or timer tick) of a function to its end: an attempt, and on failure the
 * retries its {@link RetryPolicy} allows (the method's own {@code @Retry}, else the function's) — each wait timed by the host's scheduler, the attempt
 * then run on the function's executor, never a sleep on a worker — and after the last failure the
 * dead letter. A failure to bind the arguments is not retried: the same message binds the same way.
 *
 * <p>Thread-safe; one {@link #process} per message.
 */
final class Attempts {

    private static final Logger LOG = LoggerFactory.getLogger(Attempts.class);

    /** Runs one attempt; {@link Invoker} in the host. */
    @FunctionalInterface
    interface Runner {
        /** Runs {@code method} of {@code bean} once for {@code message} ({@code null} for a timer tick); never throws. */
        Invoker.Attempt run(Object bean, BoundMethod method, Message message);
    }

    private final String function;
    private final Runner invoker;
    private final FunctionOutputs outputs;
    private final RetryPolicy policy;
    private final ScheduledExecutorService scheduler;
    private final Executor executor;
    private final Supplier<Object> bean;
    private final BooleanSupplier abandoned;

    /**
     * @param bean      the function's instance when an attempt starts
     * @param abandoned true once the host gave up on the function's remaining work (a stop ran out of time)
     */
    Attempts(String function, Runner invoker, FunctionOutputs outputs, RetryPolicy policy,
             ScheduledExecutorService scheduler, Executor executor, Supplier<Object> bean, BooleanSupplier abandoned) {
        this.function = function;
        this.invoker = invoker;
        this.outputs = outputs;
        this.policy = policy;
        this.scheduler = scheduler;
        this.executor = executor;
        this.bean = bean;
        this.abandoned = abandoned;
    }

    /**
     * Processes {@code message} ({@code null} for a timer tick) with {@code method}. The first
     * attempt runs on the calling thread. The result completes when processing is over — the
     * function may take its next message — with a second future that says whether the message is
     * done with: processed and every output taken by its sinks, or dead-lettered and the letter
     * taken (true); an output refused, or the host stopping (false), so that a durable input keeps
     * the record for the next start.
     */
    CompletableFuture<CompletableFuture<Boolean>> process(BoundMethod method, Message message) {
        CompletableFuture<CompletableFuture<Boolean>> handled = new CompletableFuture<>();
        attempt(method, message, 0, handled);
        return handled;
    }

    private void attempt(BoundMethod method, Message message, int retry,
                         CompletableFuture<CompletableFuture<Boolean>> handled) {
        try {
            if (retry > 0 && abandoned.getAsBoolean()) {
                handled.complete(CompletableFuture.completedFuture(false));
                return;
            }
            Invoker.Attempt attempt = invoker.run(bean.get(), method, message);
            if (attempt.succeeded()) {
                handled.complete(outputs.send(attempt.invocationId(), attempt.outputs()));
            } else if (abandoned.getAsBoolean()) {
                handled.complete(CompletableFuture.completedFuture(false)); // stopped: a durable input delivers it again
            } else if (!(attempt.failure() instanceof BindingException) && policyOf(method).mayRetryAfter(retry + 1)) {
                scheduleRetry(method, message, retry + 1, handled);
            } else {
                handled.complete(message == null
                        ? CompletableFuture.completedFuture(true)
                        : outputs.deadLetter(method, message, attempt.failure(), retry + 1));
            }
        } catch (Throwable t) {
            LOG.error("function {}: processing a message failed in the host: {}", function, Failures.describe(t));
            handled.complete(CompletableFuture.completedFuture(false));
        }
    }

    private RetryPolicy policyOf(BoundMethod method) {
        return method.retryPolicy() != null ? method.retryPolicy() : policy;
    }

    private void scheduleRetry(BoundMethod method, Message message, int retry,
                               CompletableFuture<CompletableFuture<Boolean>> handled) {
        Duration delay = policyOf(method).delayBefore(retry);
        outputs.counters().retries.increment();
        try {
            scheduler.schedule(() -> {
                try {
                    executor.execute(() -> attempt(method, message, retry, handled));
                } catch (RejectedExecutionException e) {
                    handled.complete(CompletableFuture.completedFuture(false));
                }
            }, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            handled.complete(CompletableFuture.completedFuture(false)); // the host is stopping
        }
    }
}
