package io.edgefn.hub;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The edge hub's counters: updated on any event loop, read by {@link EdgeHub#stats()}. Thread-safe. */
final class HubCounters {
    final LongAdder received = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder moduleSent = new LongAdder();
    final LongAdder moduleAcked = new LongAdder();
    /** Clients that completed CONNECT (a client id taking over from an older connection counts again). */
    final LongAdder connects = new LongAdder();
    /** Registered clients whose connection ended (closed, lost, or taken over). */
    final LongAdder disconnects = new LongAdder();
    private final Map<RefusalReason, LongAdder> refused = new EnumMap<>(RefusalReason.class);

    HubCounters() {
        for (RefusalReason r : RefusalReason.values()) {
            refused.put(r, new LongAdder());
        }
    }

    void refused(RefusalReason reason) {
        refused.get(reason).increment();
    }

    Map<RefusalReason, Long> refusedSnapshot() {
        Map<RefusalReason, Long> out = new EnumMap<>(RefusalReason.class);
        refused.forEach((r, n) -> out.put(r, n.sum()));
        return out;
    }
}
