package io.edgefn.runtime.internal;

import io.edgefn.runtime.FunctionState;
import io.edgefn.runtime.HostListener;
import io.edgefn.runtime.RestartPolicy;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of one function: its {@link FunctionState} (transitions in the enum), the
 * creation of its instance — the start, user code that may throw or never return; with an
 * {@code @OnStart} method the factory runs it too ({@link LifecycleHooks}) — and restarts
 * per the {@link RestartPolicy}. A generation counter stops a stale retry from acting after a
 * newer start or a stop.
 *
 * <p>Every start attempt runs on the function's executor — never on the caller's thread, nor on
 * the scheduler's, which time every watchdog and command retry — under a time limit: a
 * constructor still running when the start timeout passes is interrupted and abandoned to its
 * thread, and the function is FAILED at once (not retried: each retry would leave one more thread
 * behind). Restart waits and the limit are timed by the host's scheduler; {@link #start} returns a
 * future of the first attempt's outcome, and whoever waits on it may also end a late attempt with
 * {@link #startTimedOut}.
 *
 * <p>Thread-safe. State changes happen under one lock; the listener is told after it is released,
 * because it is someone else's code.
 */
final class FunctionSupervisor {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionSupervisor.class);

    /** What the function's other parts do when the supervisor changes its state. */
    interface Transitions {
        /** The instance exists and the function is RUNNING: start taking work. Called under the lock. */
        void running();

        /** The function FAILED for good: refuse new work. */
        void gaveUp();
    }

    private final String function;
    private final Supplier<Object> beanFactory;
    private final RestartPolicy policy;
    private final ScheduledExecutorService scheduler;
    private final Executor executor;
    private final HostListener listener;
    private final FunctionCounters counters;
    private final Transitions transitions;
    private final Object lock = new Object();
    /** Listener calls due after state changes; guarded by {@link #lock}. */
    private final List<Runnable> pendingAnnouncements = new ArrayList<>();

    /** One start attempt: its thread, once it runs, and whether it ended or ran out of time. */
    private static final class StartAttempt {
        static final int RUNNING = 0;
        static final int DONE = 1;
        static final int TIMED_OUT = 2;

        final int generation;
        /** Completed with the state the attempt left the function in; null for a restart. */
        final CompletableFuture<FunctionState> settled;
        final AtomicInteger outcome = new AtomicInteger(RUNNING);
        volatile Thread thread;
        volatile ScheduledFuture<?> watchdog;

        StartAttempt(int generation, CompletableFuture<FunctionState> settled) {
            this.generation = generation;
            this.settled = settled;
        }
    }

    private final Duration startTimeout;
    private final InstantSource clock;
    private volatile FunctionState state = FunctionState.STARTING;
    private volatile Object bean;
    private volatile StartAttempt current;
    private int generation;
    private int startFailures;

    /**
     * @param startTimeout how long a start attempt (the function's constructor) may run
     * @param executor     where start attempts run: the function's own threads
     * @param clock        times starts and exits for the function's stats
     */
    FunctionSupervisor(String function, Supplier<Object> beanFactory, RestartPolicy policy, Duration startTimeout,
                       ScheduledExecutorService scheduler, Executor executor, HostListener listener,
                       FunctionCounters counters, Transitions transitions, InstantSource clock) {
        this.clock = clock;
        this.function = function;
        this.beanFactory = beanFactory;
        this.policy = policy;
        this.startTimeout = startTimeout;
        this.scheduler = scheduler;
        this.executor = executor;
        this.listener = listener;
        this.counters = counters;
        this.transitions = transitions;
    }

    /** The current state. */
    FunctionState state() {
        return state;
    }

    /** The function's instance; set before RUNNING becomes visible. */
    Object bean() {
        return bean;
    }

    /**
     * Starts creating the instance on the function's executor, retrying with backoff if that
     * fails; returns at once. The future completes with the state the first attempt left the
     * function in — RUNNING, BACKING_OFF, or FAILED — by the start timeout at the latest (as timed
     * by the scheduler; see {@link #startTimedOut}).
     */
    CompletableFuture<FunctionState> start() {
        int gen;
        synchronized (lock) {
            gen = ++generation;
        }
        CompletableFuture<FunctionState> settled = new CompletableFuture<>();
        launch(new StartAttempt(gen, settled));
        return settled;
    }

    /**
     * Ends the current start attempt as timed out if it is still running: for the host, which
     * waits for first starts on its own clock too, so that a scheduler that lags (or a test's
     * manual one) cannot hold start-up. No-op when the attempt has ended.
     */
    void startTimedOut() {
        StartAttempt attempt = current;
        if (attempt != null) {
            timedOut(attempt);
        }
    }

    private void launch(StartAttempt attempt) {
        current = attempt;
        try {
            attempt.watchdog = scheduler.schedule(() -> timedOut(attempt), startTimeout.toNanos(), TimeUnit.NANOSECONDS);
            executor.execute(() -> attemptStart(attempt));
        } catch (RejectedExecutionException e) {
            LOG.debug("function {}: no start, the host is stopping", function);
            attempt.outcome.set(StartAttempt.DONE);
            cancelWatchdog(attempt);
            settle(attempt);
        }
    }

    private static void cancelWatchdog(StartAttempt attempt) {
        ScheduledFuture<?> w = attempt.watchdog;
        if (w != null) {
            w.cancel(false);
        }
    }

    private void attemptStart(StartAttempt attempt) {
        attempt.thread = Thread.currentThread();
        if (attempt.outcome.get() != StartAttempt.RUNNING) {
            return; // timed out before it got a thread
        }
        Object created = null;
        Throwable failure = null;
        try {
            created = beanFactory.get();
        } catch (Throwable t) {
            failure = Failures.rootCause(t);
        } finally {
            attempt.thread = null;
        }
        boolean inTime = attempt.outcome.compareAndSet(StartAttempt.RUNNING, StartAttempt.DONE);
        if (!inTime) {
            LOG.warn("function {}: its constructor returned after the {} ms start timeout, too late; ignored{}", function,
                    startTimeout.toMillis(), failure == null ? "" : " (it threw " + Failures.describe(failure) + ")");
            return;
        }
        cancelWatchdog(attempt);
        if (failure != null) {
            onStartFailure(attempt.generation, failure);
        } else {
            synchronized (lock) {
                if (attempt.generation == generation && state.canMoveTo(FunctionState.RUNNING)) {
                    bean = created; // before RUNNING is visible: a timer tick must never see a null instance
                    counters.lastStart = clock.instant();
                    move(FunctionState.RUNNING, "started");
                    transitions.running();
                }
            }
            announceStateChanges();
        }
        settle(attempt);
    }

    /** The start timeout passed (on the scheduler), or the host stopped waiting: give up on the attempt. */
    private void timedOut(StartAttempt attempt) {
        if (!attempt.outcome.compareAndSet(StartAttempt.RUNNING, StartAttempt.TIMED_OUT)) {
            return;
        }
        Thread t = attempt.thread;
        String at = t == null ? "" : " (it was at " + where(t) + ")";
        if (t != null) {
            t.interrupt();
        }
        String problem = "its constructor (or @OnStart method) did not return within the start timeout of " + startTimeout.toMillis()
                + " ms; its thread is interrupted and abandoned";
        boolean gaveUp = false;
        synchronized (lock) {
            if (attempt.generation == generation) {
                generation++; // the constructor may still return: that must change nothing
                counters.problem(problem);
                exited(problem);
                gaveUp = move(FunctionState.FAILED, problem);
            }
        }
        if (gaveUp) {
            LOG.error("function {} failed to start: {}{}", function, problem, at);
            transitions.gaveUp();
        }
        announceStateChanges();
        settle(attempt);
    }

    private static String where(Thread t) {
        StackTraceElement[] stack = t.getStackTrace();
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.") && !c.startsWith("io.micronaut.")) {
                return e.toString();
            }
        }
        return stack.length == 0 ? "an unknown place" : stack[0].toString();
    }

    private void settle(StartAttempt attempt) {
        if (attempt.settled != null) {
            attempt.settled.complete(state);
        }
    }

    private void onStartFailure(int gen, Throwable cause) {
        Duration delay = null;
        boolean gaveUp = false;
        synchronized (lock) {
            if (gen != generation) {
                return;
            }
            startFailures++;
            String problem = Failures.describe(cause);
            counters.problem(problem);
            exited(problem);
            if (!policy.mayRetryAfter(startFailures)) {
                LOG.error("function {} failed to start {} times; giving up: {}", function, startFailures, problem);
                gaveUp = move(FunctionState.FAILED, "failed to start " + startFailures + " times: " + problem);
            } else {
                delay = policy.delayAfter(startFailures);
                LOG.warn("function {} failed to start (attempt {}): {}; retrying in {} ms", function, startFailures,
                        problem, delay.toMillis());
                if (!move(FunctionState.BACKING_OFF, "start failed: " + problem + "; retry in " + delay.toMillis() + " ms")) {
                    delay = null;
                }
            }
        }
        if (gaveUp) {
            transitions.gaveUp();
        }
        if (delay != null) {
            scheduleRestart(gen, delay);
        }
        announceStateChanges();
    }

    private void scheduleRestart(int gen, Duration delay) {
        try {
            scheduler.schedule(() -> {
                boolean retry;
                synchronized (lock) {
                    retry = gen == generation && move(FunctionState.STARTING, "retrying");
                    if (retry) {
                        counters.restarts.incrementAndGet();
                    }
                }
                announceStateChanges();
                if (retry) {
                    launch(new StartAttempt(gen, null));
                }
            }, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("function {}: no restart, the host is stopping", function);
        }
    }

    /**
     * Begins a stop: no stale restart may act any more, and the function moves to DRAINING when it
     * had work that may still finish, else straight to STOPPED. Returns whether it drains.
     */
    boolean beginStop() {
        boolean draining;
        synchronized (lock) {
            generation++;
            if (state == FunctionState.RUNNING) {
                exited("stopped");
            }
            draining = move(FunctionState.DRAINING, "stopping") || state == FunctionState.FAILED;
            if (!draining) {
                move(FunctionState.STOPPED, "stopped");
            }
        }
        announceStateChanges();
        return draining;
    }

    /** Ends a stop: STOPPED. */
    void finishStop() {
        synchronized (lock) {
            move(FunctionState.STOPPED, "stopped");
        }
        announceStateChanges();
    }

    /** Records that the function stopped running, or a start of it failed, now; must hold {@link #lock}. */
    private void exited(String reason) {
        counters.lastExit = clock.instant();
        counters.lastExitReason = reason;
    }

    /** Moves to {@code target} if the transition table allows it; must hold {@link #lock}. */
    private boolean move(FunctionState target, String reason) {
        if (!state.canMoveTo(target)) {
            return false;
        }
        state = target;
        pendingAnnouncements.add(() -> listener.functionStateChanged(function, target, reason));
        return true;
    }

    /** Tells the listener about state changes made under the lock; call without holding it. */
    private void announceStateChanges() {
        List<Runnable> due;
        synchronized (lock) {
            due = new ArrayList<>(pendingAnnouncements);
            pendingAnnouncements.clear();
        }
        due.forEach(Listeners::safely);
    }
}
