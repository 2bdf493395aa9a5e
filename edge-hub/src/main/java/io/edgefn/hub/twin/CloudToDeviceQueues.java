package io.edgefn.hub.twin;

import io.edgefn.api.Message;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Cloud-to-device messages waiting for their device: one bounded queue per device, each message
 * with a time to live, delivered one at a time (QoS 1) and removed on the device's PUBACK — at
 * least once, in order. A full queue drops its oldest waiting message (counted, its future failed);
 * an expired one is dropped when it is next looked at or when its time is up.
 *
 * <p>Threading: thread-safe; each queue has its own lock. Futures are completed and channels called
 * outside the locks.
 */
final class CloudToDeviceQueues {

    private final int capacity;
    private final InstantSource clock;
    private final ScheduledExecutorService scheduler;
    private final Function<String, DeviceChannel> channels;
    private final Map<String, Queue> queues = new ConcurrentHashMap<>();
    final LongAdder delivered = new LongAdder();
    final LongAdder droppedFull = new LongAdder();
    final LongAdder expired = new LongAdder();

    private record Entry(Message message, long expiresAtMillis, CompletableFuture<Void> done) {
    }

    private static final class Queue {
        final ArrayDeque<Entry> waiting = new ArrayDeque<>();
        Entry inFlight;
    }

    CloudToDeviceQueues(int capacity, InstantSource clock, ScheduledExecutorService scheduler,
                        Function<String, DeviceChannel> channels) {
        this.capacity = capacity;
        this.clock = clock;
        this.scheduler = scheduler;
        this.channels = channels;
    }

    CompletableFuture<Void> offer(String deviceId, Message message, Duration ttl) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Entry entry = new Entry(message, clock.millis() + ttl.toMillis(), done);
        Queue q = queues.computeIfAbsent(deviceId, d -> new Queue());
        Entry dropped = null;
        synchronized (q) {
            q.waiting.addLast(entry);
            if (q.waiting.size() > capacity) {
                dropped = q.waiting.pollFirst();
            }
        }
        if (dropped != null) {
            droppedFull.increment();
            dropped.done.completeExceptionally(new TwinException(503, "dropped: the cloud-to-device queue of '" + deviceId
                    + "' held " + capacity + " messages and a newer one came"));
        }
        scheduler.schedule(() -> pump(deviceId), Math.max(0, ttl.toMillis()) + 1, TimeUnit.MILLISECONDS);
        pump(deviceId);
        return done;
    }

    /** Sends the next waiting message if the device is connected, subscribed and has none in flight. */
    void pump(String deviceId) {
        Queue q = queues.get(deviceId);
        if (q == null) {
            return;
        }
        DeviceChannel channel = channels.apply(deviceId);
        List<Entry> expiredNow = new ArrayList<>();
        Entry next = null;
        synchronized (q) {
            long now = clock.millis();
            for (Iterator<Entry> it = q.waiting.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (e.expiresAtMillis <= now) {
                    it.remove();
                    expiredNow.add(e);
                }
            }
            if (q.inFlight == null && channel != null && channel.subscribed(DeviceChannel.Feature.CLOUD_TO_DEVICE)) {
                next = q.waiting.pollFirst();
                q.inFlight = next;
            }
        }
        for (Entry e : expiredNow) {
            expired.increment();
            e.done.completeExceptionally(new TwinException(504, "expired before '" + deviceId + "' took it"));
        }
        if (next == null) {
            return;
        }
        Entry sending = next;
        channel.sendCloudToDevice(sending.message).whenComplete((ok, failure) -> {
            synchronized (q) {
                if (q.inFlight == sending) {
                    q.inFlight = null;
                }
                if (failure != null) {
                    q.waiting.addFirst(sending); // the connection closed first: it goes again when the device returns
                }
            }
            if (failure == null) {
                delivered.increment();
                sending.done.complete(null);
                pump(deviceId);
            }
            // On failure the channel closed: the hub's disconnected/connected calls pump again when it returns.
        });
    }

    int waiting() {
        int n = 0;
        for (Queue q : queues.values()) {
            synchronized (q) {
                n += q.waiting.size() + (q.inFlight == null ? 0 : 1);
            }
        }
        return n;
    }
}
