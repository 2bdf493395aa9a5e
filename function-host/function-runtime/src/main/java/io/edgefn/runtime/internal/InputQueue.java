package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue of messages waiting for one function: highest route priority first
 * (0 before 9 before the default band), first in first out within a priority, so a shutdown
 * command is never queued behind telemetry.
 *
 * <p>When full, {@link #offer} waits: back-pressure reaches the producer instead of a silent drop.
 * Thread-safe: any number of producers and consumers.
 */
public final class InputQueue {

    /**
     * One queued message and where it goes; {@code onProcessed} (may be null) runs once the
     * function has finished with it — succeeded, or given up and dead-lettered it.
     */
    public record Entry(Message message, String input, int priority, long sequence, Runnable onProcessed) {
    }

    private final int capacity;
    private final PriorityQueue<Entry> entries = new PriorityQueue<>((a, b) -> a.priority != b.priority
            ? Integer.compare(a.priority, b.priority)
            : Long.compare(a.sequence, b.sequence));
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private long nextSequence;
    private boolean closed;

    /** A queue holding at most {@code capacity} messages. */
    public InputQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Queues {@code message} for {@code input}, waiting up to {@code wait} for room; returns
     * whether it was queued (false when the wait ran out or the queue is closed).
     */
    public boolean offer(Message message, String input, int priority, Duration wait) throws InterruptedException {
        return offer(message, input, priority, wait, null);
    }

    /** As {@link #offer(Message, String, int, Duration)}, running {@code onProcessed} when the function is done with it. */
    public boolean offer(Message message, String input, int priority, Duration wait, Runnable onProcessed)
            throws InterruptedException {
        long nanos = wait.toNanos();
        lock.lockInterruptibly();
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
            entries.add(new Entry(message, input, priority, nextSequence++, onProcessed));
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The next entry, waiting up to {@code wait}; {@code null} when none came or the queue is closed and empty. */
    public Entry poll(Duration wait) throws InterruptedException {
        long nanos = wait.toNanos();
        lock.lockInterruptibly();
        try {
            while (entries.isEmpty()) {
                if (closed || nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            Entry entry = entries.poll();
            notFull.signal();
            return entry;
        } finally {
            lock.unlock();
        }
    }

    /** How many messages wait. */
    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further offers and wakes every waiter; what is queued can still be polled. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the queue is empty or {@code timeout} passes; returns whether it is empty. */
    public boolean awaitEmpty(long timeout, TimeUnit unit) throws InterruptedException {
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
