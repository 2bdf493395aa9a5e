package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What the host keeps about one device's link besides the driver's own counters: the latency of
 * its commands (COMMAND sent → the MCU's ACK) and the last {@value #LAST} frames the host saw go
 * either way, for the status page.
 *
 * <p>Threads: frames in are noted on the device's reader thread, commands on the invoking
 * function's thread, ACKs on the reader thread; any of them at once. Nothing here locks: the ring
 * is an array of references written at an atomically taken slot, and an entry keeps the message
 * itself, so the short text a status page shows is made when it is read, never on the safety path.
 */
final class DeviceLinkStats {

    /** How many recent frames are kept. */
    static final int LAST = 10;

    /**
     * One frame as the host saw it.
     *
     * @param at when (host clock)
     * @param direction {@code in} (from the device) or {@code out} (to it)
     * @param type the frame's type: {@code TELEMETRY}, {@code EVENT}, … in; {@code COMMAND} out;
     *     {@code ACK} / {@code NACK} for a command's answer
     * @param message the message it carried in, or null
     * @param text a short text for frames without a message (a command's name and arguments)
     */
    record Seen(Instant at, String direction, String type, Message message, String text) {

        /** A short text saying what the frame carried. */
        String summary() {
            if (text != null) {
                return text;
            }
            String body = message == null ? "" : message.bodyAsString();
            return body.length() <= 80 ? body : body.substring(0, 77) + "...";
        }
    }

    private final InstantSource clock;
    private final DurationHistogram commandLatency = new DurationHistogram();
    private final AtomicReferenceArray<Seen> ring = new AtomicReferenceArray<>(LAST);
    private final AtomicLong written = new AtomicLong();
    private volatile io.micrometer.core.instrument.Timer commandTimer;

    DeviceLinkStats(InstantSource clock) {
        this.clock = clock;
    }

    /** Notes a frame from the device carrying {@code message}; any thread. */
    void frameIn(Message message) {
        String type = message.property("frameType");
        note(new Seen(clock.instant(), "in", type == null ? "MESSAGE" : type.toUpperCase(java.util.Locale.ROOT),
                message, null));
    }

    /** Notes a command sent; any thread. */
    void commandOut(String name, Map<String, ?> args) {
        note(new Seen(clock.instant(), "out", "COMMAND", null, name + " " + args));
    }

    /** Notes a command's answer and, when the MCU acknowledged it, its latency; any thread. */
    void commandAnswered(String name, boolean acknowledged, String status, long nanos) {
        note(new Seen(clock.instant(), "in", acknowledged ? "ACK" : "NACK", null, name + " " + status));
        if (acknowledged) {
            commandLatency.record(nanos);
            io.micrometer.core.instrument.Timer t = commandTimer;
            if (t != null) {
                t.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Sets the timer acknowledged commands are also recorded into (from the next one on). */
    void commandTimer(io.micrometer.core.instrument.Timer timer) {
        this.commandTimer = timer;
    }

    /** The command latency so far. */
    io.edgefn.runtime.DurationStats commandLatency() {
        return commandLatency.snapshot();
    }

    /** The last frames seen, oldest first, newest last. */
    List<Seen> lastFrames() {
        long end = written.get();
        List<Seen> out = new ArrayList<>(LAST);
        for (long i = Math.max(0, end - LAST); i < end; i++) {
            Seen s = ring.get((int) (i % LAST));
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private void note(Seen seen) {
        long slot = written.getAndIncrement();
        ring.set((int) (slot % LAST), seen);
    }

    /** The {@code GET /status} shape of a latency: count, p50, p99 and max in milliseconds. */
    static Map<String, Object> latencyJson(io.edgefn.runtime.DurationStats d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", d.count());
        out.put("p50Millis", d.p50Millis());
        out.put("p99Millis", d.p99Millis());
        out.put("maxMillis", d.maxMillis());
        return out;
    }
}
