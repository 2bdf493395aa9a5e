package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.buffer.Cursor;
import io.edgefn.buffer.OfflineBuffer;
import io.edgefn.routes.RouteSpec;
import io.edgefn.runtime.ModuleInbox;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An external module's input fed by routes that are not durable: a bounded queue in memory, by
 * priority, that never refuses — when full it drops the oldest waiting message of the lowest
 * priority that has one (a shutdown command outlives telemetry) and counts it — and expires each
 * message at its route's time to live. It is also the {@link Cursor} the edge hub drains.
 *
 * <p>Thread-safe: one lock guards the queues; no callback runs under it.
 */
final class MemoryModuleInbox implements MessageSink, ModuleInbox, Cursor {

    private static final int BANDS = OfflineBuffer.DEFAULT_PRIORITY + 1;

    private final String moduleId;
    private final String input;
    private final String address;
    private final int capacity;
    private final long defaultTimeToLiveSecs;
    private final InstantSource clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    @SuppressWarnings("unchecked")
    private final ArrayDeque<BufferedRecord>[] waiting = new ArrayDeque[BANDS];
    private final long[] sequences = new long[BANDS];
    private final Map<Long, BufferedRecord> inFlight = new HashMap<>();
    /** Records in {@link #waiting}, all bands; guarded by {@link #lock}. */
    private int waitingCount;
    private long dropped;
    private long expired;

    MemoryModuleInbox(String moduleId, String input, int capacity, long defaultTimeToLiveSecs, InstantSource clock) {
        this.moduleId = moduleId;
        this.input = input;
        this.address = "/modules/" + moduleId + "/inputs/" + input;
        this.capacity = capacity;
        this.defaultTimeToLiveSecs = defaultTimeToLiveSecs;
        this.clock = clock;
        for (int i = 0; i < BANDS; i++) {
            waiting[i] = new ArrayDeque<>();
        }
    }

    @Override
    public String address() {
        return address;
    }

    /** Queues {@code message}; never waits and never refuses: a full queue drops its oldest instead. */
    @Override
    public CompletableFuture<Void> accept(Message message, int routePriority, long timeToLiveSecs, Patience patience) {
        int band = routePriority == RouteSpec.DEFAULT_PRIORITY || routePriority > 9 ? OfflineBuffer.DEFAULT_PRIORITY : routePriority;
        long ttl = timeToLiveSecs > 0 ? timeToLiveSecs : defaultTimeToLiveSecs;
        long now = clock.millis();
        byte[] payload;
        try {
            payload = MessageCodec.encode(message);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        lock.lock();
        try {
            if (size() >= capacity) {
                dropOldest();
            }
            long offset = BufferedRecord.offsetOf(band, sequences[band]++);
            waiting[band].addLast(new BufferedRecord(offset, band, now, ttl > 0 ? now + ttl * 1000 : 0, payload));
            waitingCount++;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Drops the oldest waiting record of the lowest band that has one; the in-flight ones are the module's already. */
    private void dropOldest() {
        for (int band = BANDS - 1; band >= 0; band--) {
            if (waiting[band].pollFirst() != null) {
                waitingCount--;
                dropped++;
                return;
            }
        }
    }

    private int size() {
        return waitingCount + inFlight.size();
    }

    @Override
    public List<BufferedRecord> poll(int max) {
        lock.lock();
        try {
            return take(max);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<BufferedRecord> poll(int max, Duration wait) throws InterruptedException {
        long nanos = wait.toNanos();
        lock.lock();
        try {
            List<BufferedRecord> taken = take(max);
            while (taken.isEmpty() && nanos > 0) {
                nanos = arrived.awaitNanos(nanos);
                taken = take(max);
            }
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: up to {@code max} waiting records, best band first, skipping (and counting) expired ones. */
    private List<BufferedRecord> take(int max) {
        List<BufferedRecord> out = new ArrayList<>();
        long now = clock.millis();
        for (int band = 0; band < BANDS && out.size() < max; band++) {
            ArrayDeque<BufferedRecord> q = waiting[band];
            while (!q.isEmpty() && out.size() < max) {
                BufferedRecord r = q.pollFirst();
                waitingCount--;
                if (r.expiresAtMillis() != 0 && r.expiresAtMillis() <= now) {
                    expired++;
                    continue;
                }
                inFlight.put(r.offset(), r);
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public void ack(long offset) {
        lock.lock();
        try {
            inFlight.remove(offset);
        } finally {
            lock.unlock();
        }
    }

    /** Puts every in-flight record back in front of its band, in its original order. */
    @Override
    public void rewind() {
        lock.lock();
        try {
            List<BufferedRecord> back = new ArrayList<>(inFlight.values());
            inFlight.clear();
            back.sort(Comparator.comparingLong(BufferedRecord::offset).reversed());
            for (BufferedRecord r : back) {
                waiting[r.priority()].addFirst(r);
            }
            waitingCount += back.size();
            if (!back.isEmpty()) {
                arrived.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long depth() {
        lock.lock();
        try {
            return size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String name() {
        return address;
    }

    @Override
    public String moduleId() {
        return moduleId;
    }

    @Override
    public String input() {
        return input;
    }

    @Override
    public boolean durable() {
        return false;
    }

    @Override
    public Cursor cursor() {
        return this;
    }

    @Override
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Messages whose time to live ran out before the module took them. */
    long expired() {
        lock.lock();
        try {
            return expired;
        } finally {
            lock.unlock();
        }
    }
}
