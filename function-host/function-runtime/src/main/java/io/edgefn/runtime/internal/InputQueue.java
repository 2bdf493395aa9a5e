package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue of messages waiting for one function: highest route priority first
 * (0 before 9 before the default band), first in first out within a priority, so a shutdown
 * command is never queued behind telemetry.
 *
 * <p>When full, {@link #offer} waits up to the time it is given (none for an event loop):
 * back-pressure reaches the producer instead of a silent drop. Past three quarters full the queue
 * is {@linkplain #congested() congested}, so that a producer that must not wait can slow down
 * before it is refused; {@link #whenRelieved} runs its action once the queue is back at half.
 *
 * <p>Thread-safe: any number of producers and consumers. Relief actions run on the consumer's
 * thread, outside the lock: they must be quick (an event loop's {@code resume}, say).
 */
final class InputQueue {

    /**
     * One queued message and where it goes; {@code onProcessed} (may be null) runs once the
     * function has finished with it — succeeded, or given up and dead-lettered it. A direct method
     * call has its {@code call} (else {@code null}), whose answer it completes instead.
     */
    record Entry(Message message, String input, int priority, long sequence, Runnable onProcessed, MethodCall<?> call) {
    }

    private final int capacity;
    private final PriorityQueue<Entry> entries = new PriorityQueue<>((a, b) -> a.priority != b.priority
            ? Integer.compare(a.priority, b.priority)
            : Long.compare(a.sequence, b.sequence));
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final List<Runnable> reliefActions = new ArrayList<>();
    private long nextSequence;
    private boolean closed;

    /** A queue holding at most {@code capacity} messages. */
    InputQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Queues {@code message} for {@code input}, waiting up to {@code wait} for room; returns
     * whether it was queued (false when the wait ran out or the queue is closed).
     */
    boolean offer(Message message, String input, int priority, Duration wait) throws InterruptedException {
        return offer(message, input, priority, wait, null);
    }

    /** As {@link #offer(Message, String, int, Duration)}, running {@code onProcessed} when the function is done with it. */
    boolean offer(Message message, String input, int priority, Duration wait, Runnable onProcessed)
            throws InterruptedException {
        return offer(message, input, priority, wait, onProcessed, null);
    }

    /** As {@link #offer(Message, String, int, Duration, Runnable)}, for a direct method {@code call} when not null. */
    boolean offer(Message message, String input, int priority, Duration wait, Runnable onProcessed, MethodCall<?> call)
            throws InterruptedException {
        long nanos = wait.toNanos();
        if (nanos <= 0) {
            lock.lock(); // an event loop's offer: never interrupted, never waits but for the lock
        } else {
            lock.lockInterruptibly();
        }
        try {
            while (!closed && entries.size() >= capacity) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = notFull.awaitNanos(nanos);
            }
            if (closed) {
                return false;
            }
            entries.add(new Entry(message, input, priority, nextSequence++, onProcessed, call));
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The next entry, waiting up to {@code wait}; {@code null} when none came or the queue is closed and empty. */
    Entry poll(Duration wait) throws InterruptedException {
        long nanos = wait.toNanos();
        Entry entry;
        List<Runnable> relieved = List.of();
        lock.lockInterruptibly();
        try {
            while (entries.isEmpty()) {
                if (closed || nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            entry = entries.poll();
            notFull.signal();
            if (!reliefActions.isEmpty() && entries.size() <= capacity / 2) {
                relieved = new ArrayList<>(reliefActions);
                reliefActions.clear();
            }
        } finally {
            lock.unlock();
        }
        relieved.forEach(Listeners::safely);
        return entry;
    }

    /**
     * Waits up to {@code wait} until something is queued, without taking it; false when nothing
     * came or the queue is closed and empty. Lets a consumer take a permit first and then the
     * most urgent entry of that moment.
     */
    boolean awaitNotEmpty(Duration wait) throws InterruptedException {
        long nanos = wait.toNanos();
        lock.lockInterruptibly();
        try {
            while (entries.isEmpty()) {
                if (closed || nanos <= 0) {
                    return false;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether producers should slow down: more than three quarters of the capacity is queued. */
    boolean congested() {
        lock.lock();
        try {
            return isCongested();
        } finally {
            lock.unlock();
        }
    }

    private boolean isCongested() {
        return entries.size() > capacity * 3 / 4;
    }

    /** Runs {@code action} once at most half the capacity is queued: at once if so now. */
    void whenRelieved(Runnable action) {
        lock.lock();
        try {
            if (entries.size() > capacity / 2 && !closed) {
                reliefActions.add(action);
                return;
            }
        } finally {
            lock.unlock();
        }
        Listeners.safely(action);
    }

    /** How many messages wait. */
    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further offers and wakes every waiter; what is queued can still be polled. */
    void close() {
        List<Runnable> relieved;
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
            relieved = new ArrayList<>(reliefActions); // a closed queue refuses at once: waiting for room is over
            reliefActions.clear();
        } finally {
            lock.unlock();
        }
        relieved.forEach(Listeners::safely);
    }

    /** Waits until the queue is empty or {@code timeout} passes; returns whether it is empty. */
    boolean awaitEmpty(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (!entries.isEmpty()) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = notFull.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
