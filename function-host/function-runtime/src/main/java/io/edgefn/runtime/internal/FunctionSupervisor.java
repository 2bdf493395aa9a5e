package io.edgefn.runtime.internal;

import io.edgefn.runtime.FunctionState;
import io.edgefn.runtime.HostListener;
import io.edgefn.runtime.RestartPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of one function: its {@link FunctionState} (transitions in the enum), the
 * creation of its instance — the start, user code that may throw — and restarts per the
 * {@link RestartPolicy}. A generation counter stops a stale retry from acting after a newer start
 * or a stop. Restart waits are timed by the host's scheduler; the constructor then runs on the
 * function's executor, never on the scheduler's threads, which time every watchdog and command retry.
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

    private volatile FunctionState state = FunctionState.STARTING;
    private volatile Object bean;
    private int generation;
    private int startFailures;

    FunctionSupervisor(String function, Supplier<Object> beanFactory, RestartPolicy policy, ScheduledExecutorService scheduler,
                       Executor executor, HostListener listener, FunctionCounters counters, Transitions transitions) {
        this.function = function;
        this.beanFactory = beanFactory;
        this.policy = policy;
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

    /** Creates the instance now on the calling thread, retrying with backoff if that fails. */
    void start() {
        int gen;
        synchronized (lock) {
            gen = ++generation;
        }
        attemptStart(gen);
    }

    private void attemptStart(int gen) {
        Object created;
        try {
            created = beanFactory.get();
        } catch (Throwable t) {
            onStartFailure(gen, Failures.rootCause(t));
            return;
        }
        synchronized (lock) {
            if (gen == generation && state.canMoveTo(FunctionState.RUNNING)) {
                bean = created; // before RUNNING is visible: a timer tick must never see a null instance
                move(FunctionState.RUNNING, "started");
                transitions.running();
            }
        }
        announceStateChanges();
    }

    private void onStartFailure(int gen, Throwable cause) {
        Duration delay = null;
        boolean gaveUp = false;
        synchronized (lock) {
            if (gen != generation) {
                return;
            }
            startFailures++;
            counters.lastProblem = cause.toString();
            if (!policy.mayRetryAfter(startFailures)) {
                LOG.error("function {} failed to start {} times; giving up: {}", function, startFailures, cause.toString());
                gaveUp = move(FunctionState.FAILED, "failed to start " + startFailures + " times: " + cause);
            } else {
                delay = policy.delayAfter(startFailures);
                LOG.warn("function {} failed to start (attempt {}): {}; retrying in {} ms", function, startFailures,
                        cause.toString(), delay.toMillis());
                if (!move(FunctionState.BACKING_OFF, "start failed: " + cause + "; retry in " + delay.toMillis() + " ms")) {
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
            scheduler.schedule(() -> executor.execute(() -> {
                boolean retry;
                synchronized (lock) {
                    retry = gen == generation && move(FunctionState.STARTING, "retrying");
                }
                announceStateChanges();
                if (retry) {
                    attemptStart(gen);
                }
            }), delay.toNanos(), TimeUnit.NANOSECONDS);
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
