package io.edgefn.runtime.internal;

import io.edgefn.runtime.DurationStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The control loop's latency: from a device reading's arrival at the gateway to the MCU's ACK of
 * the command a safety-critical function sent because of it.
 *
 * <p>How the cause is followed: the host stamps a message from a device with its arrival
 * ({@link #ARRIVAL_PROPERTY}, the host's monotonic nanoseconds and a mark of this process, in
 * the message's system properties, which the hub and the upstream link do not send on); an invocation remembers the arrival
 * of the message it was invoked with ({@link #enter}); outputs it sends carry it on, so a chain
 * of functions (a detector, then a shutdown function) keeps the first reading's arrival; a command
 * a safety-critical function sends during its invocation takes it along, and its ACK records the
 * time since. Commands without such a cause (a timer's, an HTTP call's) are not counted.
 *
 * <p>Thread-safe, lock-free: {@link #record} runs on the device's reader thread.
 */
final class ControlLoop {

    /** The system property carrying a reading's arrival, in {@link System#nanoTime()} nanoseconds. */
    static final String ARRIVAL_PROPERTY = "edgefn-reading-arrival-nanos";

    /** The calling thread's invocation's cause: {arrival nanos, 1 if safety-critical}; null outside one that has a cause. */
    private static final ThreadLocal<long[]> CURRENT = new ThreadLocal<>();

    private final DurationHistogram histogram = new DurationHistogram();
    private volatile io.micrometer.core.instrument.Timer timer;

    /**
     * This process's mark on the arrivals it stamps: a message kept on disk across a restart (a
     * durable input) carries another process's nanoseconds, which mean nothing here.
     */
    private static final String PROCESS = "@" + Long.toHexString(new java.security.SecureRandom().nextLong());

    /** The property's value for a reading arriving now. */
    static String arrivalNow() {
        return System.nanoTime() + PROCESS;
    }

    /**
     * The arrival this process stamped on {@code message}, or 0 when it carries none of this
     * process's, or when there is no message (a timer's or a lifecycle hook's invocation).
     */
    static long arrivalOf(io.edgefn.api.Message message) {
        if (message == null) {
            return 0;
        }
        String v = message.systemProperty(ARRIVAL_PROPERTY);
        if (v == null || !v.endsWith(PROCESS)) {
            return 0;
        }
        try {
            return Long.parseLong(v, 0, v.length() - PROCESS.length(), 10);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Marks the calling thread as running an invocation caused by a reading that arrived at
     * {@code arrivalNanos}, in a safety-critical function or not; {@link #clear} after. Nothing
     * happens for {@code arrivalNanos} 0 (no cause), so an invocation without one costs nothing.
     */
    static void enter(long arrivalNanos, boolean safetyCritical) {
        if (arrivalNanos != 0) {
            CURRENT.set(new long[] {arrivalNanos, safetyCritical ? 1 : 0});
        }
    }

    /** Ends what {@link #enter} began on this thread. */
    static void clear() {
        if (CURRENT.get() != null) {
            CURRENT.remove();
        }
    }

    /** The arrival the calling thread's invocation carries when its function is safety-critical, or 0. */
    static long currentSafety() {
        long[] c = CURRENT.get();
        return c != null && c[1] == 1 ? c[0] : 0;
    }

    /** Records one loop that took {@code nanos}; any thread. */
    void record(long nanos) {
        histogram.record(nanos);
        io.micrometer.core.instrument.Timer t = timer;
        if (t != null) {
            t.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** Sets the timer loops are also recorded into. */
    void timer(io.micrometer.core.instrument.Timer timer) {
        this.timer = timer;
    }

    /**
     * The {@code GET /status} shape: count, p50/p99/max in milliseconds and cumulative buckets
     * ({@code leMillis}: loops at most that long), the {@code +Inf} bucket left out (it is the count).
     */
    Map<String, Object> json() {
        DurationStats d = histogram.snapshot();
        Map<String, Object> out = DeviceLinkStats.latencyJson(d);
        List<Map<String, Object>> buckets = new ArrayList<>();
        long cumulative = 0;
        for (Map.Entry<String, Long> b : d.buckets().entrySet()) {
            cumulative += b.getValue();
            if (b.getKey().equals("+Inf")) {
                continue;
            }
            Map<String, Object> bucket = new LinkedHashMap<>();
            bucket.put("leMillis", Double.parseDouble(b.getKey()));
            bucket.put("count", cumulative);
            buckets.add(bucket);
        }
        out.put("buckets", buckets);
        return out;
    }
}
