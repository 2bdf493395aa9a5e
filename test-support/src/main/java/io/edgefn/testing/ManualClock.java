package io.edgefn.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when a test moves it: {@link #advance} forward, running the delayed
 * tasks of every {@link ManualScheduler} made on it as their times come, or {@link #set} to any
 * instant, running nothing.
 *
 * <p>Thread-safe: any thread may read it, and code under test may read it while a test thread
 * moves it. Tasks run on the thread that calls {@code advance}; concurrent calls to
 * {@code advance} take turns.
 */
public final class ManualClock implements InstantSource {

    /** Where a clock made with {@link #ManualClock()} starts: a midnight, so times print as {@code 00:00:00.000}. */
    public static final Instant DEFAULT_START = Instant.parse("2025-11-26T00:00:00Z");

    private final AtomicReference<Instant> now;
    private final List<ManualScheduler> schedulers = new CopyOnWriteArrayList<>();
    private final AtomicLong taskSequence = new AtomicLong();
    private final Object advancing = new Object();

    /** A clock at {@link #DEFAULT_START}. */
    public ManualClock() {
        this(DEFAULT_START);
    }

    /** A clock at {@code start}. */
    public ManualClock(Instant start) {
        this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public long millis() {
        return now.get().toEpochMilli();
    }

    /**
     * Moves the clock forward by {@code amount}, running each scheduler task that falls due on the
     * way, in due order (ties in the order they were scheduled), with the clock reading the task's
     * due time while it runs. A zero amount runs what is already due.
     *
     * @throws IllegalArgumentException when {@code amount} is negative
     */
    public void advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        if (amount.isNegative()) {
            throw new IllegalArgumentException("a clock advances by a positive amount or zero, was: " + amount);
        }
        synchronized (advancing) {
            Instant target = now.get().plus(amount);
            runDueUntil(target);
            now.accumulateAndGet(target, (current, t) -> t.isAfter(current) ? t : current);
        }
    }

    /**
     * Sets the clock to {@code instant}, forward or back, running nothing: tasks that fall due wait
     * for the next {@link #advance} or {@link ManualScheduler#runDue()}, as if the thread of a real
     * scheduler had stalled.
     */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    @Override
    public String toString() {
        return "ManualClock[" + now.get() + "]";
    }

    /** Called by a new scheduler on this clock. */
    void register(ManualScheduler scheduler) {
        schedulers.add(scheduler);
    }

    /** The order of a task among all tasks scheduled on this clock, to break ties of due time. */
    long nextTaskSequence() {
        return taskSequence.getAndIncrement();
    }

    private void runDueUntil(Instant target) {
        while (true) {
            ManualScheduler owner = null;
            ManualScheduler.Task<?> first = null;
            for (ManualScheduler s : schedulers) {
                ManualScheduler.Task<?> head = s.peek();
                if (head != null && !head.due().isAfter(target) && (first == null || head.compareTo(first) < 0)) {
                    owner = s;
                    first = head;
                }
            }
            if (first == null) {
                return;
            }
            Instant due = first.due();
            now.accumulateAndGet(due, (current, d) -> d.isAfter(current) ? d : current);
            owner.runIfHead(first);
        }
    }
}
