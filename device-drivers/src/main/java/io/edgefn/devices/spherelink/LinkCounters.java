package io.edgefn.devices.spherelink;

import io.edgefn.devices.DriverStats;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** The driver's counters. Thread-safe; a snapshot is not atomic across counters. */
final class LinkCounters {
    final LongAdder framesIn = new LongAdder();
    final LongAdder framesOut = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder duplicateEvents = new LongAdder();
    private final AtomicLongArray bad = new AtomicLongArray(BadFrameReason.values().length);

    void bad(BadFrameReason reason) {
        bad.incrementAndGet(reason.ordinal());
    }

    DriverStats snapshot() {
        Map<String, Long> byReason = new HashMap<>();
        for (BadFrameReason r : BadFrameReason.values()) {
            long n = bad.get(r.ordinal());
            if (n > 0) {
                byReason.put(r.label(), n);
            }
        }
        return new DriverStats(framesIn.sum(), framesOut.sum(), byReason, retries.sum(), reconnects.sum(),
                duplicateEvents.sum());
    }
}
