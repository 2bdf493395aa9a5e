package io.edgefn.hub;

import io.edgefn.buffer.BufferedRecord;
import io.edgefn.runtime.ModuleInbox;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains one {@link ModuleInbox} into one module connection: a virtual thread polls the inbox's
 * cursor for as many records as the window has room for and hands each to the connection, which
 * publishes it on its event loop; the module's PUBACK acknowledges the record and frees its slot.
 *
 * <p>One pump per (connection, inbox). A hub-wide permit per inbox makes a new connection's pump
 * wait until the previous one has stopped and rewound its cursor, so a reconnecting module gets
 * what was in flight again rather than a gap. Stopping (disconnect, unsubscribe) interrupts the
 * thread; on its way out it rewinds the cursor: delivery is at least once.
 *
 * <p>{@link #start} and {@link #stop} on the connection's event loop; {@link #acked} and
 * {@link #returned} from it too; the loop runs on its own virtual thread.
 */
final class ModulePump implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ModulePump.class);
    private static final Duration POLL_WAIT = Duration.ofSeconds(1);

    /** Where polled records go; called on the pump's thread, must hand over and return at once. */
    interface Deliveries {
        void deliver(ModulePump pump, BufferedRecord record);
    }

    private final ModuleInbox inbox;
    private final Semaphore exclusive;
    private final Semaphore window;
    private final Deliveries deliveries;
    private final String name;
    private volatile boolean stopped;
    private Thread thread;

    ModulePump(ModuleInbox inbox, Semaphore exclusive, int window, Deliveries deliveries, String clientId) {
        this.inbox = inbox;
        this.exclusive = exclusive;
        this.window = new Semaphore(window);
        this.deliveries = deliveries;
        this.name = "edge-hub-pump " + clientId + " input " + inbox.input();
    }

    /** The inbox drained. */
    ModuleInbox inbox() {
        return inbox;
    }

    /** Whether {@link #stop} was called. */
    boolean stopped() {
        return stopped;
    }

    /** Starts the pump's thread. */
    void start() {
        thread = Thread.ofVirtual().name(name).start(this);
    }

    /** Stops the pump; its thread rewinds the cursor on the way out. Never blocks. */
    void stop() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** The module acknowledged the record at {@code offset}. */
    void acked(long offset) {
        if (stopped) {
            return; // the cursor was (or is about to be) rewound: the record comes again to the next connection
        }
        try {
            inbox.cursor().ack(offset);
        } catch (IllegalArgumentException e) {
            LOG.debug("{}: acknowledgement of offset {} not taken: {}", name, offset, e.getMessage());
        }
        window.release();
    }

    /** A polled record was not published (the connection is going away): its slot is free again. */
    void returned() {
        window.release();
    }

    @Override
    public void run() {
        try {
            exclusive.acquire();
        } catch (InterruptedException e) {
            return; // stopped before it started: nothing polled, nothing to rewind
        }
        try {
            while (!stopped) {
                window.acquire();
                int room = 1 + window.drainPermits();
                List<BufferedRecord> records;
                try {
                    records = inbox.cursor().poll(room, POLL_WAIT);
                } catch (InterruptedException e) {
                    break;
                }
                window.release(room - records.size());
                for (BufferedRecord record : records) {
                    deliveries.deliver(this, record);
                }
            }
        } catch (InterruptedException e) {
            // stopped while waiting for room in the window
        } catch (RuntimeException e) {
            LOG.warn("{}: stopped draining module input '{}' after an error; it resumes when the module reconnects",
                    name, inbox.input(), e);
        } finally {
            try {
                inbox.cursor().rewind();
            } finally {
                exclusive.release();
            }
        }
    }
}
