package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.bindings.BindingException;
import io.edgefn.bindings.CollectingOutput;
import io.edgefn.runtime.FunctionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One function in the host: supervises its lifecycle, queues what routes deliver to it, and runs
 * its invocations isolated from the host.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Lifecycle.</b> {@link FunctionState} with its transition table; creating the bean is
 *       the start, retried per the {@link io.edgefn.runtime.RestartPolicy} with a generation
 *       counter so a stale retry cannot act after a newer start or a stop.</li>
 *   <li><b>Dispatch.</b> One dispatcher thread takes messages from the bounded priority
 *       {@link InputQueue} and runs each invocation while holding one of
 *       {@code maxConcurrency} permits. With a concurrency of 1 the dispatcher runs the
 *       invocation itself, saving a thread hand-off on the hot path. Functions on the safety path
 *       use platform threads, so functions spinning on the virtual-thread carriers cannot starve
 *       them; the others use virtual threads.</li>
 *   <li><b>Isolation.</b> Every call into user code catches {@code Throwable}. An invocation
 *       longer than its timeout is interrupted and counted as failed; its outputs are dropped.
 *       A failure is retried ({@code retries}, 100 ms doubling), then the message goes to the
 *       function's {@value #DEAD_LETTER_OUTPUT} output with the error in its properties.</li>
 *   <li><b>Outputs.</b> What an invocation sends is routed only after it succeeded, and the
 *       invocation counts as done only when every output was taken by its sinks.</li>
 * </ul>
 *
 * <p>Thread-safe: {@link #offer} from any thread; lifecycle methods from the host's thread.
 */
public final class FunctionRuntime {

    /** The output a message goes to when every attempt to process it failed. */
    public static final String DEAD_LETTER_OUTPUT = "deadletter";

    private static final Logger LOG = LoggerFactory.getLogger(FunctionRuntime.class);
    private static final int RUNNING_CALL = 0;
    private static final int DONE_CALL = 1;
    private static final int TIMED_OUT_CALL = 2;

    private final FunctionSpec spec;
    private final Supplier<Object> beanFactory;
    private final Map<String, BoundMethod> byInput;
    private final HostServices host;
    private final InputQueue queue;
    private final Semaphore permits;
    private final ExecutorService executor;
    private final AtomicLong invocationCounter = new AtomicLong();
    private final LongAdder invocations = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder deadLettered = new LongAdder();
    private final LongAdder skippedTicks = new LongAdder();
    private final LongAdder lostOutputs = new LongAdder();
    private final Object lifecycleLock = new Object();
    /** Listener calls due after state changes; guarded by {@link #lifecycleLock}. */
    private final List<Runnable> pendingAnnouncements = new ArrayList<>();

    private volatile FunctionState state = FunctionState.STARTING;
    /** Set when a stop's drain time is up: the dispatcher takes nothing more. */
    private volatile boolean abandoned;
    private volatile Object bean;
    private volatile String lastProblem;
    private int generation;
    private int startFailures;
    private Thread dispatcher;

    /**
     * A function runtime; nothing runs until {@link #start()}.
     *
     * @param beanFactory creates the function's instance (user code: may throw)
     * @param byInput the trigger method of each input
     */
    public FunctionRuntime(FunctionSpec spec, Supplier<Object> beanFactory, Map<String, BoundMethod> byInput,
                           HostServices host) {
        this.spec = spec;
        this.beanFactory = beanFactory;
        this.byInput = Map.copyOf(byInput);
        this.host = host;
        this.queue = new InputQueue(spec.queueCapacity());
        this.permits = new Semaphore(spec.maxConcurrency());
        this.executor = spec.safetyCritical() ? host.safetyWorkers() : host.workers();
    }

    /** The function's name. */
    public String name() {
        return spec.name();
    }

    /** Its current lifecycle state. */
    public FunctionState state() {
        return state;
    }

    /** Whether it runs on the safety path's threads. */
    public boolean safetyCritical() {
        return spec.safetyCritical();
    }

    /** Starts the function: creates its instance now, retrying with backoff if that fails. */
    public void start() {
        int gen;
        synchronized (lifecycleLock) {
            gen = ++generation;
        }
        attemptStart(gen);
    }

    private void attemptStart(int gen) {
        Object created;
        try {
            created = beanFactory.get();
        } catch (Throwable t) {
            onStartFailure(gen, t);
            return;
        }
        synchronized (lifecycleLock) {
            if (gen != generation || !state.canMoveTo(FunctionState.RUNNING)) {
                return;
            }
            bean = created; // before RUNNING is visible: a timer tick must never see a null instance
            move(FunctionState.RUNNING, "started");
            dispatcher = (spec.safetyCritical() ? Thread.ofPlatform().daemon().priority(Thread.MAX_PRIORITY) : Thread.ofVirtual())
                    .name("edgefn-dispatch-" + spec.name())
                    .start(this::dispatchLoop);
        }
        announceStateChanges();
    }

    private void onStartFailure(int gen, Throwable t) {
        Throwable cause = rootCause(t);
        try {
            scheduleRestart(gen, cause);
        } finally {
            announceStateChanges();
        }
    }

    private void scheduleRestart(int gen, Throwable cause) {
        synchronized (lifecycleLock) {
            if (gen != generation) {
                return;
            }
            startFailures++;
            lastProblem = cause.toString();
            if (!host.restartPolicy().mayRetryAfter(startFailures)) {
                LOG.error("function {} failed to start {} times; giving up: {}", spec.name(), startFailures, cause.toString());
                move(FunctionState.FAILED, "failed to start " + startFailures + " times: " + cause);
                queue.close();
                return;
            }
            Duration delay = host.restartPolicy().delayAfter(startFailures);
            LOG.warn("function {} failed to start (attempt {}): {}; retrying in {} ms", spec.name(), startFailures,
                    cause.toString(), delay.toMillis());
            if (!move(FunctionState.BACKING_OFF, "start failed: " + cause + "; retry in " + delay.toMillis() + " ms")) {
                return;
            }
        }
        // The constructor is user code and may block: it runs on the function's own executor, never on
        // the scheduler's threads, which time every watchdog and command retry.
        host.scheduler().schedule(() -> executor.execute(() -> {
            boolean retry;
            synchronized (lifecycleLock) {
                retry = gen == generation && move(FunctionState.STARTING, "retrying");
            }
            announceStateChanges();
            if (retry) {
                attemptStart(gen);
            }
        }), host.restartPolicy().delayAfter(startFailures).toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Moves to {@code target} if the transition table allows it. Must hold {@link #lifecycleLock};
     * the listener is told later, by {@link #announceStateChanges()} outside the lock, because it
     * is someone else's code.
     */
    private boolean move(FunctionState target, String reason) {
        FunctionState from = state;
        if (!from.canMoveTo(target)) {
            return false;
        }
        state = target;
        pendingAnnouncements.add(() -> host.listener().functionStateChanged(spec.name(), target, reason));
        return true;
    }

    /** Tells the listener about state changes made under the lock; call without holding it. */
    private void announceStateChanges() {
        List<Runnable> due;
        synchronized (lifecycleLock) {
            due = new ArrayList<>(pendingAnnouncements);
            pendingAnnouncements.clear();
        }
        due.forEach(Listeners::safely);
    }

    /**
     * Queues {@code message} for {@code input}, waiting up to {@code wait} for room; false when
     * the queue stayed full, or the function has failed or stopped.
     */
    public boolean offer(Message message, String input, int priority, Duration wait) throws InterruptedException {
        return offer(message, input, priority, wait, null);
    }

    /**
     * As {@link #offer(Message, String, int, Duration)}; {@code onProcessed} runs once the
     * function is done with the message (it succeeded, or was given up on and dead-lettered), never
     * for a message still queued or running when the host stops.
     */
    public boolean offer(Message message, String input, int priority, Duration wait, Runnable onProcessed)
            throws InterruptedException {
        if (!byInput.containsKey(input)) {
            throw new IllegalArgumentException("function " + spec.name() + " has no input '" + input + "'; inputs: " + byInput.keySet());
        }
        FunctionState s = state;
        if (s == FunctionState.FAILED || s == FunctionState.STOPPED || s == FunctionState.DRAINING) {
            return false;
        }
        return queue.offer(message, input, priority, wait, onProcessed);
    }

    private void dispatchLoop() {
        if (spec.safetyCritical()) {
            CpuPriority.raiseCurrentThread();
        }
        try {
            while (!abandoned) {
                InputQueue.Entry entry = queue.poll(Duration.ofMillis(200));
                if (entry == null) {
                    if (state != FunctionState.RUNNING && queue.size() == 0) {
                        return;
                    }
                    continue;
                }
                permits.acquire();
                if (spec.maxConcurrency() == 1) {
                    runAndRelease(entry);
                } else {
                    executor.execute(() -> runAndRelease(entry));
                }
            }
        } catch (InterruptedException e) {
            if (!abandoned) {
                // Only a stop may end the dispatcher: a stray interrupt (user code that re-set its
                // flag, a late watchdog) must not leave a RUNNING function with no consumer.
                LOG.warn("function {}: its dispatcher was interrupted outside a stop; it goes on", spec.name());
                dispatchLoop();
            }
        } catch (RuntimeException e) {
            if (!abandoned) {
                LOG.error("function {}: its dispatcher stopped: {}", spec.name(), e.toString());
            }
        }
    }

    private void runAndRelease(InputQueue.Entry entry) {
        try {
            CompletableFuture<Boolean> done = process(byInput.get(entry.input()), entry.message());
            Runnable onProcessed = entry.onProcessed();
            if (onProcessed != null) {
                done.thenAccept(processed -> {
                    if (processed) {
                        try {
                            onProcessed.run();
                        } catch (RuntimeException e) {
                            LOG.error("function {}: acknowledging a processed message failed: {}", spec.name(), e.toString());
                        }
                    }
                });
            }
        } finally {
            permits.release();
        }
    }

    /**
     * Runs a timer tick of {@code method} unless the previous tick still runs (then it is skipped
     * and counted).
     */
    public void tick(BoundMethod method) {
        if (state != FunctionState.RUNNING) {
            return;
        }
        if (!permits.tryAcquire()) {
            skippedTicks.increment();
            return;
        }
        executor.execute(() -> {
            try {
                process(method, null);
            } finally {
                permits.release();
            }
        });
    }

    /**
     * Processes one message (or tick) with retries. The result completes with whether the message is
     * done with — processed and every output taken by its sinks, or dead-lettered and the dead
     * letter taken — and with false otherwise (an output refused, or the host stopping), so that a
     * durable input keeps the record for the next start. It may complete after this method returns: the outputs' sinks
     * (an fsync for {@code $upstream}) are not waited for on this thread, so that a function on
     * the safety path never stalls behind a disk.
     */
    private CompletableFuture<Boolean> process(BoundMethod method, Message message) {
        Throwable lastFailure = null;
        for (int attempt = 0; attempt <= spec.retries(); attempt++) {
            Invocation invocation = new Invocation(spec.name(), spec.name() + "#" + invocationCounter.incrementAndGet(),
                    message, host.clock(), spec.settings());
            Attempt result = invokeOnce(method, invocation);
            lastFailure = result.failure();
            if (lastFailure == null) {
                return result.outputsTaken();
            }
            if (abandoned) {
                return CompletableFuture.completedFuture(false); // stopped: a durable input delivers it again
            }
            if (lastFailure instanceof BindingException || attempt == spec.retries()) {
                break;
            }
            try {
                Thread.sleep(100L << Math.min(attempt, 6));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (abandoned) {
            return CompletableFuture.completedFuture(false);
        }
        return message == null ? CompletableFuture.completedFuture(true) : deadLetter(method, message, lastFailure);
    }

    /** One attempt: its failure (null when it succeeded), and whether every output was then taken. */
    private record Attempt(Throwable failure, CompletableFuture<Boolean> outputsTaken) {
    }

    /** Runs one attempt; its outputs are handed to the router before this returns. */
    private Attempt invokeOnce(BoundMethod method, Invocation invocation) {
        Thread thread = Thread.currentThread();
        if (spec.safetyCritical()) {
            CpuPriority.raiseCurrentThread();
        } else {
            CpuPriority.lowerCurrentThread();
        }
        AtomicInteger call = new AtomicInteger(RUNNING_CALL);
        long started = System.nanoTime();
        invocations.increment();
        ScheduledFuture<?> watchdog;
        try {
            watchdog = host.scheduler().schedule(() -> {
                if (call.compareAndSet(RUNNING_CALL, TIMED_OUT_CALL)) {
                    thread.interrupt();
                }
            }, spec.timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The host is shutting down: nothing new starts.
            return new Attempt(new IllegalStateException("the host is stopping"), CompletableFuture.completedFuture(false));
        }
        Object result;
        Throwable failure = null;
        List<Message> outputs = List.of();
        try {
            Object[] args = new Object[method.binders().length];
            for (int i = 0; i < args.length; i++) {
                args[i] = method.binders()[i].bind(invocation);
            }
            result = method.method().invoke(bean, args);
            outputs = collectOutputs(method, invocation, result);
        } catch (Throwable t) {
            failure = rootCause(t);
        } finally {
            watchdog.cancel(false);
        }
        boolean timedOut = !call.compareAndSet(RUNNING_CALL, DONE_CALL);
        // Whatever the function did with its interrupt flag (or a watchdog that fired late), this
        // thread goes on working: it must not carry an interrupt into the next wait.
        Thread.interrupted();
        if (timedOut) {
            failure = new TimeoutException("invocation " + invocation.invocationId() + " ran longer than "
                    + spec.timeoutMillis() + " ms; its outputs were discarded");
            timeouts.increment();
        }
        CompletableFuture<Boolean> taken = failure == null ? routeOutputs(invocation, outputs) : CompletableFuture.completedFuture(false);
        long nanos = System.nanoTime() - started;
        if (failure != null) {
            failures.increment();
            lastProblem = failure.toString();
            LOG.warn("function {} invocation {} failed: {}", spec.name(), invocation.invocationId(), failure.toString());
        }
        Throwable reported = failure;
        Listeners.safely(() -> host.listener().invocationFinished(spec.name(), invocation.invocationId(), nanos, reported));
        return new Attempt(failure, taken);
    }

    private List<Message> collectOutputs(BoundMethod method, Invocation invocation, Object result) {
        List<Message> outputs = new ArrayList<>(1 + invocation.outputs.size());
        if (method.returnOutput() != null && result != null
                && !(result instanceof java.util.Optional<?> o && o.isEmpty())) {
            Object value = result instanceof java.util.Optional<?> o ? o.get() : result;
            outputs.add(CollectingOutput.stamp(host.codec().write(value, Map.of()), spec.name(), method.returnOutput()));
        }
        for (CollectingOutput<?> output : invocation.outputs) {
            outputs.addAll(output.messages());
        }
        return outputs;
    }

    /**
     * Hands every output to the router now, in order (a full function queue makes this thread
     * wait: back-pressure); the result completes, true, when every sink has taken them, or false
     * when one refused. A refusal is counted and logged rather than retried here: a retry would
     * duplicate the outputs that were taken (a durable input redelivers the message at the next start).
     */
    private CompletableFuture<Boolean> routeOutputs(Invocation invocation, List<Message> outputs) {
        if (outputs.isEmpty()) {
            return CompletableFuture.completedFuture(true);
        }
        String now = host.clock().instant().toString();
        CompletableFuture<?>[] taken = new CompletableFuture<?>[outputs.size()];
        int index = 0;
        for (Message output : outputs) {
            Message.Builder b = output.toBuilder()
                    .systemProperty(SystemProperties.CONNECTION_DEVICE_ID, host.gatewayId())
                    .systemProperty(SystemProperties.ENQUEUED_TIME, now);
            if (output.systemProperty(SystemProperties.MESSAGE_ID) == null) {
                b.systemProperty(SystemProperties.MESSAGE_ID, invocation.invocationId() + "." + index);
            }
            try {
                taken[index] = host.outputs().apply(b.build());
            } catch (RuntimeException e) {
                taken[index] = CompletableFuture.failedFuture(e);
            }
            index++;
        }
        return CompletableFuture.allOf(taken)
                .orTimeout(host.outputWait().toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, failure) -> {
                    if (failure != null) {
                        lostOutputs.increment();
                        LOG.error("function {} invocation {}: an output was not taken by its sinks: {}", spec.name(),
                                invocation.invocationId(), rootCause(failure).toString());
                    }
                    return failure == null;
                });
    }

    /** Routes a dead letter for {@code message}; completes with whether its sinks took it. */
    private CompletableFuture<Boolean> deadLetter(BoundMethod method, Message message, Throwable failure) {
        deadLettered.increment();
        Message letter = CollectingOutput.stamp(message.toBuilder()
                .property("edgefn-error", String.valueOf(failure))
                .property("edgefn-function", spec.name())
                .property("edgefn-input", String.valueOf(method.input())), spec.name(), DEAD_LETTER_OUTPUT);
        try {
            return host.outputs().apply(letter.toBuilder()
                            .systemProperty(SystemProperties.CONNECTION_DEVICE_ID, host.gatewayId()).build())
                    .orTimeout(host.outputWait().toMillis(), TimeUnit.MILLISECONDS)
                    .handle((ok, e) -> {
                        if (e != null) {
                            LOG.error("function {}: a dead letter was not taken by its sinks: {}", spec.name(), rootCause(e).toString());
                        }
                        return e == null;
                    });
        } catch (RuntimeException e) {
            LOG.error("function {}: could not route a dead letter: {}", spec.name(), e.toString());
            return CompletableFuture.completedFuture(false);
        }
    }

    /**
     * Stops taking messages, lets what is queued and running finish for up to {@code drain}, then
     * stops the dispatcher.
     */
    public void stop(Duration drain) {
        boolean draining;
        synchronized (lifecycleLock) {
            generation++;
            draining = move(FunctionState.DRAINING, "stopping") || state == FunctionState.FAILED;
            if (!draining) {
                move(FunctionState.STOPPED, "stopped");
            }
        }
        announceStateChanges();
        if (!draining) {
            return;
        }
        queue.close();
        long deadline = System.nanoTime() + drain.toNanos();
        try {
            Thread d;
            synchronized (lifecycleLock) {
                d = dispatcher;
            }
            if (d != null) {
                d.join(Math.max(1, drain.toMillis()));
            }
            long left = Math.max(0, deadline - System.nanoTime());
            if (permits.tryAcquire(spec.maxConcurrency(), left, TimeUnit.NANOSECONDS)) {
                permits.release(spec.maxConcurrency());
            } else {
                LOG.warn("function {} still had invocations running after {} ms of draining", spec.name(), drain.toMillis());
            }
            // What is still queued now is given up: in memory it is lost, as in a crash; a durable
            // input has it on disk, unacknowledged, for the next start.
            abandoned = true;
            if (d != null && d.isAlive()) {
                d.interrupt();
                d.join(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lifecycleLock) {
            move(FunctionState.STOPPED, "stopped");
        }
        announceStateChanges();
    }

    /** Whether nothing is queued or running for this function (or it no longer runs at all). */
    public boolean isIdle() {
        FunctionState s = state;
        return s != FunctionState.RUNNING
                || queue.size() == 0 && permits.availablePermits() == spec.maxConcurrency();
    }

    /** Counters of this function. */
    public FunctionStats stats() {
        return new FunctionStats(spec.name(), state, invocations.sum(), failures.sum(), timeouts.sum(), deadLettered.sum(),
                skippedTicks.sum(), lostOutputs.sum(), queue.size(), spec.safetyCritical(), lastProblem);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.ExecutionException || c instanceof java.util.concurrent.CompletionException
                || c instanceof java.lang.reflect.InvocationTargetException
                || c.getClass().getName().startsWith("io.micronaut.context.exceptions."))
                && c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }
}
