package io.edgefn.triggers;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;

import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic {@link ScheduledExecutorService} over a manual clock: tasks run only inside
 * {@link #advance} and {@link #runDue}, on the calling thread, in due order, with the clock set to
 * each task's due time. Only {@code schedule(Runnable, long, TimeUnit)} is supported, which is all
 * {@link TimerScheduler} uses. Single-threaded: tests call it from their own thread.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService, InstantSource {

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private Instant now;
    private long sequence;

    ManualScheduler(Instant start) {
        this.now = start;
    }

    @Override
    public Instant instant() {
        return now;
    }

    /** Moves the clock forward by {@code amount}, running each task as its time comes. */
    void advance(Duration amount) {
        Instant target = now.plus(amount);
        runUntil(target);
        now = target;
    }

    /** Moves the clock forward without running anything, as a stalled scheduler would. */
    void jumpClock(Duration amount) {
        now = now.plus(amount);
    }

    /** Runs the tasks whose time has come, without moving the clock. */
    void runDue() {
        runUntil(now);
    }

    private void runUntil(Instant target) {
        while (!tasks.isEmpty() && !tasks.peek().due.isAfter(target)) {
            Task task = tasks.poll();
            if (task.cancelled) {
                continue;
            }
            if (task.due.isAfter(now)) {
                now = task.due;
            }
            task.done = true;
            task.command.run();
        }
    }

    /** How many scheduled tasks are waiting and not cancelled. */
    long pending() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Instant due = now.plusNanos(Math.min(unit.toNanos(delay), Duration.ofDays(365 * 100L).toNanos()));
        Task task = new Task(command, due, sequence++);
        tasks.add(task);
        return task;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("ManualScheduler supports only schedule(Runnable, …)");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("ManualScheduler supports only schedule(Runnable, …)");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("ManualScheduler supports only schedule(Runnable, …)");
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
        tasks.clear();
    }

    @Override
    public List<Runnable> shutdownNow() {
        tasks.clear();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    private final class Task implements ScheduledFuture<Object>, Comparable<Delayed> {
        final Runnable command;
        final Instant due;
        final long seq;
        boolean cancelled;
        boolean done;

        Task(Runnable command, Instant due, long seq) {
            this.command = command;
            this.due = due;
            this.seq = seq;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(Duration.between(now, due));
        }

        @Override
        public int compareTo(Delayed o) {
            Task other = (Task) o;
            int byDue = due.compareTo(other.due);
            return byDue != 0 ? byDue : Long.compare(seq, other.seq);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done) {
                return false;
            }
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }

    /** An executor that holds tasks until the test runs them, to keep a tick "running". */
    static final class HeldExecutor implements Executor {
        private final Queue<Runnable> held = new ArrayDeque<>();

        @Override
        public void execute(Runnable command) {
            held.add(command);
        }

        /** Runs every held task, in order. */
        void runAll() {
            Runnable r;
            while ((r = held.poll()) != null) {
                r.run();
            }
        }

        int size() {
            return held.size();
        }
    }

}
