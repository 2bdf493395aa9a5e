package io.edgefn.buffer.internal;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue from the producers to the writer: many producers, one consumer.
 *
 * <p>Why not a {@code LinkedBlockingQueue}: its producers share one lock, and under 8 producers each
 * unlock woke a parked producer — a third of the process's CPU samples were {@code unpark} inside
 * {@code LinkedBlockingQueue.put}. Here a producer reserves a slot with one atomic add on the count, links the
 * request into a lock-free queue, and unparks the writer only if the writer said it is idle (at most
 * once per idle spell). While gathering a group the writer is not idle: it sleeps for the gap it was
 * told and looks at the count, so a burst of appends costs the producers no system call. Only a
 * producer that finds the queue full blocks, on a lock and condition the writer signals when it
 * takes requests.
 *
 * <p>Threading: {@link #offer}, {@link #put} and {@link #size} from any thread; {@link #poll},
 * {@link #awaitMore} only on the consumer thread given to {@link #consumer}; {@link #drainTo} on it,
 * or on any thread once it has stopped (to fail what is left).
 */
final class AppendQueue {
    private final int capacity;
    private final ConcurrentLinkedQueue<AppendRequest> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    /** Set by the consumer before it parks waiting for a first request; cleared by whoever wakes it. */
    private final AtomicBoolean idle = new AtomicBoolean();
    private final ReentrantLock roomLock = new ReentrantLock();
    private final Condition room = roomLock.newCondition();
    private final AtomicInteger roomWaiters = new AtomicInteger();
    private volatile Thread consumer;

    AppendQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Names the one thread that takes requests (and is unparked when one arrives while it is idle). */
    void consumer(Thread thread) {
        this.consumer = thread;
    }

    /** The requests waiting. */
    int size() {
        return count.get();
    }

    /** Queues {@code r} if there is room; false when {@code capacity} requests already wait. */
    boolean offer(AppendRequest r) {
        // One atomic add, no CAS retry loop (8 producers retried it: the hottest line of the profile).
        // A refused producer's add is taken back at once; meanwhile another may see the queue full early.
        if (count.getAndIncrement() >= capacity) {
            count.decrementAndGet();
            return false;
        }
        queue.offer(r);
        if (idle.get() && idle.compareAndSet(true, false)) {
            LockSupport.unpark(consumer);
        }
        return true;
    }

    /** Queues {@code r}, waiting while the queue is full (back-pressure). */
    void put(AppendRequest r) throws InterruptedException {
        if (offer(r)) {
            return;
        }
        roomWaiters.incrementAndGet();
        roomLock.lockInterruptibly();
        try {
            while (!offer(r)) {
                // Timed: a consumer that took requests between our failed offer and this await signalled nobody.
                room.await(1, TimeUnit.MILLISECONDS);
            }
        } finally {
            roomLock.unlock();
            roomWaiters.decrementAndGet();
        }
    }

    /** Consumer: the next request, waiting up to {@code nanos} for one; null if none came. */
    AppendRequest poll(long nanos) throws InterruptedException {
        AppendRequest r = take();
        if (r != null) {
            return r;
        }
        long deadline = System.nanoTime() + nanos;
        while (true) {
            idle.set(true);
            r = take();
            if (r != null) {
                idle.set(false);
                return r;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                idle.set(false);
                return null;
            }
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                idle.set(false);
                throw new InterruptedException();
            }
        }
    }

    /**
     * Consumer, while gathering a group: returns at once if requests wait, else sleeps up to
     * {@code nanos} without asking producers to wake it, looking at the count as it goes. True if
     * requests wait.
     */
    boolean awaitMore(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        long left;
        while (count.get() == 0 && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, Math.min(left, GroupSizer.GAP_NANOS / 2));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        return count.get() > 0;
    }

    /** Consumer: moves up to {@code max} waiting requests into {@code into}; returns how many. */
    int drainTo(List<AppendRequest> into, int max) {
        int n = 0;
        AppendRequest r;
        while (n < max && (r = queue.poll()) != null) {
            into.add(r);
            n++;
        }
        if (n > 0) {
            count.addAndGet(-n);
            signalRoom();
        }
        return n;
    }

    private AppendRequest take() {
        AppendRequest r = queue.poll();
        if (r != null) {
            count.decrementAndGet();
            signalRoom();
        }
        return r;
    }

    private void signalRoom() {
        if (roomWaiters.get() > 0) {
            roomLock.lock();
            try {
                room.signalAll();
            } finally {
                roomLock.unlock();
            }
        }
    }
}
