package io.edgefn.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefn.api.DesiredPropertiesTrigger;
import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.bindings.BindingException;
import io.edgefn.bindings.BodyCodec;
import io.edgefn.buffer.OfflineBuffer;
import io.edgefn.runtime.FunctionState;
import io.edgefn.runtime.FunctionStats;
import io.edgefn.runtime.MessageOrigin;
import io.edgefn.runtime.MethodResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * with {@link Attempts} taking each message through its retries, and its {@link TwinProperties}.
 * Direct method calls go through the same queue (ahead of messages), permits and invoker, once
 * each, answered rather than retried or dead-lettered; a desired patch changes the settings at
 * once and is queued for the function's {@code @DesiredPropertiesTrigger} method, if it has one,
 * like a routed message. Functions on the safety path
 * run on platform threads at raised priority (their dispatcher and workers), the others on
 * lowered platform threads (see {@link io.edgefn.runtime.HostExecutors} for why not virtual ones).
 *
 * <p>Its {@code @OnStart} method runs inside each start attempt and its {@code @OnStop} method at
 * the end of {@link #stop}, after the drain ({@link LifecycleHooks}).
 *
 * <p>Thread-safe: {@link #offer}, {@link #tick}, {@link #invokeMethod} and {@link #applyDesired}
 * from any thread (the last two never block: event loops call them); {@link #start} and
 * {@link #stop} from the host's lifecycle.
 */
final class FunctionRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionRuntime.class);

    /** The queue key of desired patches: not an identifier, so no route input can be called so. */
    static final String DESIRED_INPUT = "$desired";
    /** Direct method calls go ahead of every routed message: someone waits for the answer. */
    static final int METHOD_PRIORITY = 0;

    private final FunctionSpec spec;
    private final Map<String, BoundMethod> byInput;
    private final Map<String, BoundMethod> byMethodName;
    private final boolean takesDesired;
    private final List<HttpRoute> httpRoutes;
    private final Set<MethodCall<?>> pendingCalls = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler;
    private final BodyCodec codec;
    private final Invoker invoker;
    private final FunctionOutputs outputs;
    private final FunctionCounters counters;
    private final FunctionSupervisor supervisor;
    private final Dispatcher dispatcher;
    private final Attempts attempts;
    private final LifecycleHooks hooks;
    private final ExecutorService executor;

    /**
     * A function runtime; nothing runs until {@link #start()}.
     *
     * @param beanFactory creates the function's instance (user code: may throw)
     * @param byInput the trigger method of each input
     */
    FunctionRuntime(FunctionSpec spec, Supplier<Object> beanFactory, Map<String, BoundMethod> byInput, HostServices host) {
        this(spec, beanFactory, byInput, Map.of(), null, host);
    }

    /**
     * A function runtime with direct methods and a desired-properties method; nothing runs until
     * {@link #start()}.
     *
     * @param byMethodName the method serving each direct method, by the direct method's name
     * @param onDesired    the {@code @DesiredPropertiesTrigger} method, or {@code null}
     */
    FunctionRuntime(FunctionSpec spec, Supplier<Object> beanFactory, Map<String, BoundMethod> byInput,
                    Map<String, BoundMethod> byMethodName, BoundMethod onDesired, HostServices host) {
        this(spec, beanFactory, byInput, byMethodName, onDesired, List.of(), Hooks.NONE, host);
    }

    /**
     * The function's {@code @OnStart} and {@code @OnStop} methods, each {@code null} when it has none.
     *
     * @param onStart runs in each start attempt, right after the instance is created (see {@link LifecycleHooks})
     * @param onStop  runs once when the function stops after running, after its work drained
     */
    record Hooks(BoundMethod onStart, BoundMethod onStop) {
        /** No hooks. */
        static final Hooks NONE = new Hooks(null, null);
    }

    /**
     * As the constructor above, with lifecycle hooks; nothing runs until {@link #start()}.
     *
     * @param hooks its {@code @OnStart} and {@code @OnStop} methods
     */
    FunctionRuntime(FunctionSpec spec, Supplier<Object> beanFactory, Map<String, BoundMethod> byInput,
                    Map<String, BoundMethod> byMethodName, BoundMethod onDesired, Hooks hooks, HostServices host) {
        this(spec, beanFactory, byInput, byMethodName, onDesired, List.of(), hooks, host);
    }

    /**
     * A function runtime with direct methods, a desired-properties method, HTTP routes and
     * lifecycle hooks; nothing runs until {@link #start()}.
     *
     * @param httpRoutes the paths its {@code @HttpTrigger} methods serve
     * @param hooks      its {@code @OnStart} and {@code @OnStop} methods
     */
    FunctionRuntime(FunctionSpec spec, Supplier<Object> beanFactory, Map<String, BoundMethod> byInput,
                    Map<String, BoundMethod> byMethodName, BoundMethod onDesired, List<HttpRoute> httpRoutes,
                    Hooks hooks, HostServices host) {
        this.spec = spec;
        this.counters = new FunctionCounters(spec.name(), host.problems());
        this.httpRoutes = List.copyOf(httpRoutes);
        this.hooks = new LifecycleHooks(spec, hooks, host.scheduler(), host.clock(), counters);
        Map<String, BoundMethod> queued = new HashMap<>(byInput);
        if (onDesired != null) {
            queued.put(DESIRED_INPUT, onDesired);
        }
        this.byInput = Map.copyOf(queued);
        this.byMethodName = Map.copyOf(byMethodName);
        this.takesDesired = onDesired != null;
        this.scheduler = host.scheduler();
        this.codec = host.codec();
        ExecutorService executor = spec.safetyCritical() ? host.safetyWorkers() : host.workers();
        this.dispatcher = new Dispatcher(spec.name(), spec.maxConcurrency(), spec.queueCapacity(), spec.safetyCritical(),
                executor, this::handle, () -> state() == FunctionState.RUNNING);
        this.executor = executor;
        this.supervisor = new FunctionSupervisor(spec.name(), this.hooks.started(beanFactory), host.restartPolicy(),
                host.startTimeout(),
                host.scheduler(), executor, host.listener(), counters, new FunctionSupervisor.Transitions() {
                    @Override
                    public void running() {
                        dispatcher.start();
                    }

                    @Override
                    public void gaveUp() {
                        dispatcher.closeQueue();
                    }
                }, host.clock());
        this.invoker = new Invoker(spec, host.scheduler(), host.clock(), host.codec(), host.listener(), counters);
        this.outputs = new FunctionOutputs(spec.name(), MessageOrigin.function(host.gatewayId(), spec.name()),
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
        if (entry.call() != null) {
            runCall(entry.call());
            return CompletableFuture.completedFuture(null);
        }
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

    /** The names of the direct methods it serves. */
    Set<String> directMethods() {
        return byMethodName.keySet();
    }

    /**
     * Calls its direct method {@code name} with {@code payload} (JSON, already checked) and answers
     * within {@code timeout}; never blocks (see {@link io.edgefn.runtime.MethodResponse} for the
     * statuses). The call is queued ahead of routed messages; a call still queued when its caller's
     * time is up is answered 504 and never runs, one running then is interrupted.
     */
    CompletableFuture<MethodResponse> invokeMethod(String name, byte[] payload, Duration timeout) {
        BoundMethod method = byMethodName.get(name);
        if (method == null) {
            return CompletableFuture.completedFuture(MethodCall.error(404, "function " + spec.name()
                    + " has no direct method '" + name + "'; it has " + byMethodName.keySet()));
        }
        Message message = Message.builder().body(payload)
                .systemProperty(SystemProperties.CONTENT_TYPE, "application/json")
                .systemProperty(SystemProperties.CONTENT_ENCODING, "utf-8").build();
        return call(method, "direct method '" + name + "'", message, null, MethodCall.DIRECT, timeout);
    }

    /** Its HTTP routes, in the index's order. */
    List<HttpRoute> httpRoutes() {
        return httpRoutes;
    }

    /**
     * Calls {@code route}'s method for an HTTP request: its body as {@code message}, the rest as
     * {@code request}; answers within the function's timeout, like {@link #invokeMethod} (queued
     * ahead of messages, run once, never retried). Never blocks.
     */
    CompletableFuture<HttpAnswer> invokeHttp(HttpRoute route, Message message, io.edgefn.api.HttpRequestData request) {
        return call(route.method(), request.method() + " '" + route.path().text() + "'", message, request,
                HttpAnswer.ANSWERS, Duration.ofMillis(spec.timeoutMillis()));
    }

    /** Queues a call someone waits for, answered by {@code answers} within {@code timeout}. */
    private <R> CompletableFuture<R> call(BoundMethod method, String what, Message message,
                                          io.edgefn.api.HttpRequestData request, MethodCall.Answers<R> answers,
                                          Duration timeout) {
        FunctionState s = state();
        if (s != FunctionState.RUNNING) {
            return CompletableFuture.completedFuture(answers.error(503, "function " + spec.name() + " is "
                    + s.name().toLowerCase(java.util.Locale.ROOT) + ", not running"));
        }
        MethodCall<R> call = new MethodCall<>(method, what, message, request, answers, System.nanoTime() + timeout.toNanos());
        pendingCalls.add(call);
        call.response.whenComplete((r, e) -> pendingCalls.remove(call));
        try {
            call.timer = scheduler.schedule(() -> call.answerError(504, "function " + spec.name()
                    + " did not answer " + what + " within " + timeout.toMillis() + " ms"),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            call.answerError(503, "the host is stopping");
            return call.response;
        }
        if (!dispatcher.offerCall(call, METHOD_PRIORITY)) {
            call.answerError(503, "function " + spec.name() + " cannot take the call now: its queue of "
                    + spec.queueCapacity() + " is full, or it is stopping");
        }
        return call.response;
    }

    /** Runs a queued call once, on the dispatcher's or a worker's thread, and answers it. */
    private <R> void runCall(MethodCall<R> call) {
        try {
            long leftMillis = TimeUnit.NANOSECONDS.toMillis(call.deadlineNanos - System.nanoTime());
            if (call.answered() || leftMillis <= 0) {
                return; // the caller's time ran out while it was queued: its 504 is sent, nothing runs
            }
            Invoker.Attempt attempt = invoker.invoke(supervisor.bean(), call.method, call.payload,
                    Math.min(spec.timeoutMillis(), leftMillis), call.request);
            if (attempt.succeeded()) {
                R answer;
                try {
                    answer = call.answers.returned(attempt.result(), codec.mapper());
                } catch (Exception | LinkageError e) {
                    answer = call.answers.error(500, "the answer of " + call.methodName
                            + " cannot be written as JSON: " + Failures.describe(e));
                }
                outputs.send(attempt.invocationId(), attempt.outputs());
                call.answer(answer);
            } else if (attempt.failure() instanceof TimeoutException) {
                call.answerError(504, attempt.failure().getMessage());
            } else if (attempt.failure() instanceof BindingException e) {
                call.answerError(400, (call.request == null ? "the payload" : "the request")
                        + " does not fit " + call.methodName + ": " + e.getMessage());
            } else {
                call.answer(call.answers.thrown(attempt.failure()));
            }
        } catch (Throwable t) {
            LOG.error("function {}: running {} failed in the host: {}", spec.name(), call.methodName,
                    Failures.describe(t));
            call.answerError(500, "the host failed to run the call: " + Failures.describe(t));
        }
    }

    /**
     * Applies a desired patch (see {@link TwinProperties#applyDesired}); when it is applied and the
     * function has a {@code @DesiredPropertiesTrigger} method, queues the patch for it without
     * waiting (a full queue: logged, the settings still change). Returns whether it was applied.
     */
    boolean applyDesired(JsonNode patch, long version) {
        if (!spec.twin().applyDesired(patch, version)) {
            return false;
        }
        FunctionState s = state();
        if (takesDesired && s != FunctionState.FAILED && s != FunctionState.STOPPED && s != FunctionState.DRAINING) {
            Message message = Message.builder().body(TwinProperties.withoutMetadata(patch).toString())
                    .systemProperty(SystemProperties.CONTENT_TYPE, "application/json")
                    .systemProperty(SystemProperties.CONTENT_ENCODING, "utf-8")
                    .property(DesiredPropertiesTrigger.VERSION_PROPERTY, Long.toString(version)).build();
            boolean queued;
            try {
                queued = dispatcher.offer(message, DESIRED_INPUT, OfflineBuffer.DEFAULT_PRIORITY, Duration.ZERO, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                queued = false;
            }
            if (!queued) {
                LOG.warn("function {}: its queue is full; desired patch version {} changed its settings, but its"
                        + " @DesiredPropertiesTrigger method will not see it", spec.name(), version);
            }
        }
        return true;
    }

    /** Its twin. */
    TwinProperties twin() {
        return spec.twin();
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
        boolean wasRunning = state() == FunctionState.RUNNING;
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
        if (wasRunning) {
            hooks.stopped(supervisor.bean(), executor);
        }
        supervisor.finishStop();
        for (MethodCall<?> call : pendingCalls) {
            call.answerError(503, "function " + spec.name() + " stopped before it answered");
        }
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

    /** Its live counters, for the metrics read at scrape time. */
    FunctionCounters counters() {
        return counters;
    }

    /** Messages waiting in its queue now. */
    int queued() {
        return dispatcher.queued();
    }

    /** Counters of this function. */
    public FunctionStats stats() {
        return new FunctionStats(spec.name(), state(), counters.invocations.sum(), counters.failures.sum(),
                counters.timeouts.sum(), counters.deadLettered.sum(), counters.skippedTicks.sum(),
                counters.lostOutputs.sum(), dispatcher.queued(), spec.safetyCritical(), counters.lastProblem,
                counters.stuck.get(), counters.restarts.get(), counters.lastStart, counters.lastExit,
                counters.lastExitReason, counters.retries.sum(), counters.durations.snapshot());
    }
}
