package io.edgefn.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic {@link ScheduledExecutorService} on a {@link ManualClock}: nothing runs until
 * the test moves the clock with {@link ManualClock#advance} (or calls {@link #runDue()}); then each
 * task runs on that thread, in due order, with the clock reading its due time. {@code execute} and
 * {@code submit} run at the next advance, as a task with no delay.
 *
 * <p>Fixed-rate tasks fall due every period after their first time, without drift; fixed-delay
 * tasks fall due a delay after each run ends. As with a real executor, a task's exception goes
 * into its future and ends a periodic task. {@link #shutdown()} and {@link #shutdownNow()} drop
 * every waiting task and refuse new ones.
 *
 * <p>Thread-safe: any thread may schedule or cancel. Never wait on one of its futures on the
 * thread that advances the clock: it would wait forever.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    /** Delays are capped here, so that a "never" delay such as {@code Long.MAX_VALUE} nanoseconds stays an instant. */
    private static final Duration MAX_DELAY = Duration.ofDays(365 * 100L);

    private final ManualClock clock;
    private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
    private boolean shutdown;

    /** A scheduler whose tasks run as {@code clock} advances. */
    public ManualScheduler(ManualClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        clock.register(this);
    }

    /** The clock that drives this scheduler. */
    public ManualClock clock() {
        return clock;
    }

    /** Runs every task whose time has come, on the calling thread, without moving the clock forward. */
    public void runDue() {
        clock.advance(Duration.ZERO);
    }

    /** How many tasks wait to run (cancelled ones are not counted). */
    public synchronized int pending() {
        return queue.size();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        return enqueue(new Task<>(Executors.callable(command), dueIn(delay, unit), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Objects.requireNonNull(callable, "callable");
        return enqueue(new Task<>(callable, dueIn(delay, unit), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        return enqueue(new Task<>(Executors.callable(command), dueIn(initialDelay, unit), positiveNanos(period, unit)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        return enqueue(new Task<>(Executors.callable(command), dueIn(initialDelay, unit), -positiveNanos(delay, unit)));
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
        shutdownNow();
    }

    /** Refuses new tasks and drops every waiting one; returns those that never ran. */
    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> dropped;
        synchronized (this) {
            shutdown = true;
            dropped = new ArrayList<>(queue);
            queue.clear();
        }
        dropped.forEach(t -> ((Task<?>) t).cancel(false));
        return dropped;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    /** The same as {@link #isShutdown()}: once shut down, no task is left to run. */
    @Override
    public synchronized boolean isTerminated() {
        return shutdown;
    }

    /** Returns at once whether the scheduler {@linkplain #isTerminated() is terminated}: time only passes by hand. */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    @Override
    public String toString() {
        return "ManualScheduler[" + pending() + " pending, " + clock + "]";
    }

    /** The task that falls due first, or {@code null}; for the clock. */
    synchronized Task<?> peek() {
        return queue.peek();
    }

    /** Runs {@code task} if it is still the first to fall due (no one cancelled it meanwhile); for the clock. */
    void runIfHead(Task<?> task) {
        synchronized (this) {
            if (queue.peek() != task) {
                return;
            }
            queue.poll();
        }
        task.run();
    }

    private Instant dueIn(long delay, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        long nanos = Math.max(0, Math.min(unit.toNanos(delay), MAX_DELAY.toNanos()));
        return clock.instant().plusNanos(nanos);
    }

    private static long positiveNanos(long period, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        if (period <= 0) {
            throw new IllegalArgumentException("a period must be positive, was: " + period + " " + unit);
        }
        return Math.min(unit.toNanos(period), MAX_DELAY.toNanos());
    }

    private <V> Task<V> enqueue(Task<V> task) {
        synchronized (this) {
            if (shutdown) {
                throw new RejectedExecutionException("ManualScheduler is shut down");
            }
            queue.add(task);
        }
        return task;
    }

    private synchronized void requeue(Task<?> task) {
        if (!shutdown) {
            queue.add(task);
        }
    }

    private synchronized void remove(Task<?> task) {
        queue.remove(task);
    }

    /**
     * A scheduled task: a {@link FutureTask} with a due time. {@code period} is positive for a
     * fixed rate, negative for a fixed delay, zero for a one-shot task (nanoseconds).
     */
    final class Task<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
        private final long period;
        private final long sequence;
        private volatile Instant due;

        Task(Callable<V> callable, Instant due, long period) {
            super(callable);
            this.due = due;
            this.period = period;
            this.sequence = clock.nextTaskSequence();
        }

        Instant due() {
            return due;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(Duration.between(clock.instant(), due));
        }

        @Override
        public int compareTo(Delayed other) {
            if (other == this) {
                return 0;
            }
            if (other instanceof ManualScheduler.Task<?> task) {
                int byDue = due.compareTo(task.due);
                return byDue != 0 ? byDue : Long.compare(sequence, task.sequence);
            }
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean isPeriodic() {
            return period != 0;
        }

        @Override
        public void run() {
            if (!isPeriodic()) {
                super.run();
            } else if (runAndReset()) {
                due = period > 0 ? due.plusNanos(period) : clock.instant().plusNanos(-period);
                requeue(this);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                remove(this);
            }
            return cancelled;
        }
    }
}
