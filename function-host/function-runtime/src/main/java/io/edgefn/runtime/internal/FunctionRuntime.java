package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import io.edgefn.runtime.FunctionState;
import io.edgefn.runtime.FunctionStats;
import io.edgefn.runtime.MessageOrigin;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One function in the host, assembled from four parts that each do one job:
 * <ul>
 *   <li>{@link FunctionSupervisor} — the lifecycle: state, start and restarts, generation;</li>
 *   <li>{@link Dispatcher} — the queue, the concurrency permits, the dispatcher thread;</li>
 *   <li>{@link Invoker} — one attempt: binders, watchdog, isolation from user code;</li>
 *   <li>{@link FunctionOutputs} — what it sends into the host, and its dead letters;</li>
 * </ul>
 * with {@link Attempts} taking each message through its retries. Functions on the safety path
 * run on platform threads at raised priority (their dispatcher and workers), the others on
 * lowered platform threads (see {@link io.edgefn.runtime.HostExecutors} for why not virtual ones).
 *
 * <p>Thread-safe: {@link #offer} and {@link #tick} from any thread; {@link #start} and
 * {@link #stop} from the host's lifecycle.
 */
final class FunctionRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionRuntime.class);

    private final FunctionSpec spec;
    private final Map<String, BoundMethod> byInput;
    private final FunctionCounters counters = new FunctionCounters();
    private final FunctionSupervisor supervisor;
    private final Dispatcher dispatcher;
    private final Attempts attempts;

    /**
     * A function runtime; nothing runs until {@link #start()}.
     *
     * @param beanFactory creates the function's instance (user code: may throw)
     * @param byInput the trigger method of each input
     */
    FunctionRuntime(FunctionSpec spec, Supplier<Object> beanFactory, Map<String, BoundMethod> byInput, HostServices host) {
        this.spec = spec;
        this.byInput = Map.copyOf(byInput);
        ExecutorService executor = spec.safetyCritical() ? host.safetyWorkers() : host.workers();
        this.dispatcher = new Dispatcher(spec.name(), spec.maxConcurrency(), spec.queueCapacity(), spec.safetyCritical(),
                executor, this::handle, () -> state() == FunctionState.RUNNING);
        this.supervisor = new FunctionSupervisor(spec.name(), beanFactory, host.restartPolicy(), host.startTimeout(),
                host.scheduler(), executor, host.listener(), counters, new FunctionSupervisor.Transitions() {
                    @Override
                    public void running() {
                        dispatcher.start();
                    }

                    @Override
                    public void gaveUp() {
                        dispatcher.closeQueue();
                    }
                });
        Invoker invoker = new Invoker(spec, host.scheduler(), host.clock(), host.codec(), host.listener(), counters);
        FunctionOutputs outputs = new FunctionOutputs(spec.name(), MessageOrigin.function(host.gatewayId(), spec.name()),
                host.ingress(), host.outputWait(), counters);
        this.attempts = new Attempts(spec.name(), invoker::invoke, outputs, spec.retryPolicy(), host.scheduler(), executor,
                supervisor::bean, dispatcher::abandoned);
    }

    /** The function's name. */
    public String name() {
        return spec.name();
    }

    /** Its current lifecycle state. */
    public FunctionState state() {
        return supervisor.state();
    }

    /** Whether it runs on the safety path's threads. */
    public boolean safetyCritical() {
        return spec.safetyCritical();
    }

    /**
     * Starts the function: creates its instance on its own threads, retrying with backoff if that
     * fails; returns at once with the outcome of the first attempt to come (see
     * {@link FunctionSupervisor#start}).
     */
    public CompletableFuture<FunctionState> start() {
        return supervisor.start();
    }

    /** Gives up on a first start that is still running: the host waited long enough. */
    void startTimedOut() {
        supervisor.startTimedOut();
    }

    /**
     * Queues {@code message} for {@code input}, waiting up to {@code wait} for room; false when the
     * queue stayed full, or the function has failed or stopped. {@code onProcessed} (may be null)
     * runs once the function is done with the message — it succeeded and its outputs were taken,
     * or it was dead-lettered — never for a message still queued or running when the host stops.
     */
    boolean offer(Message message, String input, int priority, Duration wait, Runnable onProcessed)
            throws InterruptedException {
        if (!byInput.containsKey(input)) {
            throw new IllegalArgumentException("function " + spec.name() + " has no input '" + input + "'; inputs: " + byInput.keySet());
        }
        FunctionState s = state();
        if (s == FunctionState.FAILED || s == FunctionState.STOPPED || s == FunctionState.DRAINING) {
            return false;
        }
        return dispatcher.offer(message, input, priority, wait, onProcessed);
    }

    /** Whether producers should slow down: its queue is nearly full. */
    boolean congested() {
        return dispatcher.congested();
    }

    /** Runs {@code action} once its queue has room again. */
    void whenRelieved(Runnable action) {
        dispatcher.whenRelieved(action);
    }

    private CompletionStage<?> handle(InputQueue.Entry entry) {
        CompletableFuture<CompletableFuture<Boolean>> handled = attempts.process(byInput.get(entry.input()), entry.message());
        Runnable onProcessed = entry.onProcessed();
        if (onProcessed != null) {
            handled.thenCompose(done -> done).thenAccept(processed -> {
                if (processed) {
                    try {
                        onProcessed.run();
                    } catch (Throwable e) {
                        LOG.error("function {}: acknowledging a processed message failed: {}", spec.name(),
                                Failures.describe(e));
                    }
                }
            });
        }
        return handled;
    }

    /**
     * Runs a timer tick of {@code method} unless the previous tick still runs (then it is skipped
     * and counted).
     */
    public void tick(BoundMethod method) {
        if (state() != FunctionState.RUNNING) {
            return;
        }
        if (!dispatcher.tick(() -> attempts.process(method, null))) {
            counters.skippedTicks.increment();
        }
    }

    /**
     * Stops taking messages, lets what is queued and running finish for up to {@code drain}, then
     * gives up the rest and ends the dispatcher, waiting for its thread until {@code abandonDeadline}
     * ({@link System#nanoTime()}) at most.
     */
    public void stop(Duration drain, long abandonDeadline) {
        if (!supervisor.beginStop()) {
            return;
        }
        dispatcher.closeQueue();
        try {
            if (!dispatcher.drain(drain)) {
                LOG.warn("function {} still had invocations running when its {} ms to drain were up", spec.name(),
                        drain.toMillis());
            }
            // What is still queued now is given up: in memory it is lost, as in a crash; a durable
            // input has it on disk, unacknowledged, for the next start.
            dispatcher.abandon(abandonDeadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        supervisor.finishStop();
    }

    /** Whether nothing is queued or running for this function (or it no longer runs at all). */
    public boolean isIdle() {
        return state() != FunctionState.RUNNING || dispatcher.idle();
    }

    /**
     * Waits until {@link #isIdle()} or {@code deadline} ({@link System#nanoTime()}) passes;
     * returns whether idle.
     */
    public boolean awaitIdle(long deadline) throws InterruptedException {
        return state() != FunctionState.RUNNING || dispatcher.awaitIdle(deadline);
    }

    /** Counters of this function. */
    public FunctionStats stats() {
        return new FunctionStats(spec.name(), state(), counters.invocations.sum(), counters.failures.sum(),
                counters.timeouts.sum(), counters.deadLettered.sum(), counters.skippedTicks.sum(),
                counters.lostOutputs.sum(), dispatcher.queued(), spec.safetyCritical(), counters.lastProblem,
                counters.stuck.get());
    }
}
