package io.edgefn.devices.spherelink;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs listener callbacks one at a time, in the order they were enqueued, on whichever thread
 * drains first, without holding a lock while they run. Enqueue under the driver's lock (so the
 * order follows the state changes), drain after releasing it.
 *
 * <p>Thread-safe. A callback that throws is logged and the next one runs.
 */
final class OrderedCallbacks {
    private static final Logger LOG = LoggerFactory.getLogger(OrderedCallbacks.class);

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final String owner;

    OrderedCallbacks(String owner) {
        this.owner = owner;
    }

    void enqueue(Runnable callback) {
        queue.add(callback);
    }

    /** Runs queued callbacks unless another thread is already doing so (it will run ours too). */
    void drain() {
        while (!queue.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                Runnable r;
                while ((r = queue.poll()) != null) {
                    try {
                        r.run();
                    } catch (Throwable t) {
                        LOG.error("listener of device {} threw; the driver carries on", owner, t);
                    }
                }
            } finally {
                draining.set(false);
            }
        }
    }
}
