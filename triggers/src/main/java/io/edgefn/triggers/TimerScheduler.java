package io.edgefn.triggers;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Runs timer ticks on their {@link Schedule}s: the entry type of the triggers module.
 *
 * <p>The injected {@link ScheduledExecutorService} only keeps time: when a timer is due it hands
 * the tick to the injected tick {@link Executor} (the host passes a virtual-thread executor) and
 * schedules the next one. A tick that comes while the previous tick of the same timer still runs
 * is <em>skipped and counted</em>, never queued; ticks the scheduler missed because it ran late
 * are skipped and counted the same way instead of firing in a burst. Fixed rates are measured
 * from the previous scheduled time, so they do not drift.
 *
 * <p>A tick that throws — any {@link Throwable}, errors included — is counted and passed, with its
 * timer's name, to the failure handler; the timer keeps running, even when the tick executor or
 * the failure handler itself throws. Nothing here calls a tick while holding a lock.
 *
 * <p>Thread-safe: {@link #start}, {@link Timer#cancel} and {@link #close} may be called from any
 * thread. Neither executor is shut down here: their owner does that.
 */
public final class TimerScheduler implements AutoCloseable {

    /** Missed ticks counted one by one before a late timer simply resumes from now. */
    private static final int MAX_MISSED_COUNTED = 10_000;

    private final ScheduledExecutorService scheduler;
    private final Executor tickExecutor;
    private final InstantSource clock;
    private final BiConsumer<String, Throwable> onFailure;
    private final Set<ScheduledTimer> timers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Creates a scheduler.
     *
     * @param scheduler keeps time; its tasks are short and never run user code
     * @param tickExecutor runs the ticks
     * @param clock the time that schedules are evaluated against
     * @param onFailure told about each tick that threw, with the timer's name; must not block
     */
    public TimerScheduler(ScheduledExecutorService scheduler, Executor tickExecutor, InstantSource clock,
            BiConsumer<String, Throwable> onFailure) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.tickExecutor = Objects.requireNonNull(tickExecutor, "tickExecutor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    /**
     * Starts a timer that runs {@code tick} at each time of {@code schedule} after now.
     *
     * @param name names the timer in failure reports, e.g. {@code "heartbeat.onTimer"}
     * @throws IllegalStateException when this scheduler is closed
     */
    public Timer start(String name, Schedule schedule, Runnable tick) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(tick, "tick");
        if (closed) {
            throw new IllegalStateException("timer scheduler is closed; cannot start timer " + name);
        }
        ScheduledTimer timer = new ScheduledTimer(name, schedule, tick);
        timers.add(timer);
        timer.scheduleAfter(clock.instant());
        if (closed) {
            timer.cancel();
        }
        return timer;
    }

    /** Cancels every timer started here; ticks already running finish on their own. */
    @Override
    public void close() {
        closed = true;
        for (ScheduledTimer timer : timers) {
            timer.cancel();
        }
    }

    /**
     * A started timer: its counters and its cancellation.
     *
     * <p>Thread-safe: any method may be called from any thread.
     */
    public interface Timer {

        /** The name it was started with. */
        String name();

        /** The schedule it runs on. */
        Schedule schedule();

        /** How many ticks were handed to the tick executor. */
        long ticks();

        /**
         * How many ticks were skipped: they came while the previous tick still ran, or the
         * scheduler was so late that their time had passed.
         */
        long skipped();

        /** How many ticks threw (or were refused by the tick executor). */
        long failures();

        /** When the next tick is due, or empty when the schedule has ended or it is cancelled. */
        Optional<Instant> nextTick();

        /** Stops the timer; a tick that is running finishes. Idempotent. */
        void cancel();

        /** Whether {@link #cancel} was called (directly or by closing the scheduler). */
        boolean isCancelled();
    }

    /** A timer's state: the scheduler thread fires it, the tick executor runs its ticks. */
    private final class ScheduledTimer implements Timer {
        private final String name;
        private final Schedule schedule;
        private final Runnable tick;
        private final AtomicBoolean running = new AtomicBoolean();
        private final AtomicLong ticks = new AtomicLong();
        private final AtomicLong skipped = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        /** Guards {@link #pending} and {@link #next} so that cancel never races a reschedule. */
        private final Object lock = new Object();
        private ScheduledFuture<?> pending;
        private Instant next;
        private volatile boolean cancelled;

        ScheduledTimer(String name, Schedule schedule, Runnable tick) {
            this.name = name;
            this.schedule = schedule;
            this.tick = tick;
        }

        /**
         * Runs on the scheduler's thread when the tick due at {@code due} comes. Whatever the tick
         * executor or the tick throws — an {@link Error} included, such as an
         * {@link OutOfMemoryError} from user code or from starting a thread — the next tick is
         * scheduled: a timer that stopped here would go on looking alive.
         */
        private void fire(Instant due) {
            if (cancelled) {
                return;
            }
            try {
                if (running.compareAndSet(false, true)) {
                    ticks.incrementAndGet();
                    try {
                        tickExecutor.execute(this::runTick);
                    } catch (Throwable t) {
                        running.set(false);
                        recordFailure(t);
                    }
                } else {
                    skipped.incrementAndGet();
                }
            } finally {
                scheduleAfter(due);
            }
        }

        private void runTick() {
            try {
                tick.run();
            } catch (Throwable t) {
                recordFailure(t);
            } finally {
                running.set(false);
            }
        }

        private void recordFailure(Throwable t) {
            failures.incrementAndGet();
            try {
                onFailure.accept(name, t);
            } catch (Throwable ignored) {
                // A broken failure handler (or one that ran out of memory while logging) must not
                // stop the timer; the failure is counted.
            }
        }

        /** Schedules the first tick after {@code previous} that is not already in the past. */
        void scheduleAfter(Instant previous) {
            Instant now = clock.instant();
            Optional<Instant> due = schedule.next(previous);
            int missed = 0;
            while (due.isPresent() && due.get().isBefore(now)) {
                if (++missed > MAX_MISSED_COUNTED) {
                    // The clock jumped far ahead: stop counting one by one and resume from now.
                    due = schedule.next(now);
                    break;
                }
                skipped.incrementAndGet();
                due = schedule.next(due.get());
            }
            synchronized (lock) {
                if (cancelled || due.isEmpty()) {
                    next = null;
                    return;
                }
                Instant at = due.get();
                next = at;
                pending = scheduler.schedule(() -> fire(at), delayNanos(now, at),
                        TimeUnit.NANOSECONDS);
            }
        }

        private static long delayNanos(Instant now, Instant at) {
            try {
                return Math.max(0, Duration.between(now, at).toNanos());
            } catch (ArithmeticException tooFar) {
                return Long.MAX_VALUE;
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Schedule schedule() {
            return schedule;
        }

        @Override
        public long ticks() {
            return ticks.get();
        }

        @Override
        public long skipped() {
            return skipped.get();
        }

        @Override
        public long failures() {
            return failures.get();
        }

        @Override
        public Optional<Instant> nextTick() {
            synchronized (lock) {
                return Optional.ofNullable(next);
            }
        }

        @Override
        public void cancel() {
            synchronized (lock) {
                cancelled = true;
                next = null;
                if (pending != null) {
                    pending.cancel(false);
                }
            }
            timers.remove(this);
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }
}
