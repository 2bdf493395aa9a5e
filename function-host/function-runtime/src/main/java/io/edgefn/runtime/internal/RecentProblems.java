package io.edgefn.runtime.internal;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The host's last {@value #KEPT} dead letters and function errors, for {@code /status}'s
 * {@code recentProblems} and the dashboard: a bounded ring that forgets the oldest.
 *
 * <p>Thread-safe without locks: a writer (a function's failure path, on any thread) claims a
 * sequence number and stores its entry in that slot; a reader copies the slots of the last
 * {@value #KEPT} numbers. A reader racing a writer may see a slot's older or newer entry, or miss
 * one not yet stored: it is a status page, not a log.
 */
final class RecentProblems {

    /** How many problems are kept. */
    static final int KEPT = 50;

    /** What went wrong. */
    enum Kind {
        /** A message given up on and sent to the function's dead-letter output. */
        DEAD_LETTER,
        /** An attempt that threw or timed out, or a failed start or {@code @OnStop}. */
        ERROR
    }

    /**
     * One problem.
     *
     * @param at when it happened, by the host's clock (ISO-8601, as JSON shows it)
     * @param function the function it happened in
     * @param kind what it was
     * @param message what went wrong, as the function's counters describe it
     */
    record Problem(String at, String function, Kind kind, String message) {
    }

    private static final int SLOTS = 64; // a power of two above KEPT
    private final InstantSource clock;
    private final AtomicLong next = new AtomicLong();
    private final AtomicReferenceArray<Problem> slots = new AtomicReferenceArray<>(SLOTS);

    /** An empty ring stamping problems with {@code clock}. */
    RecentProblems(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Records a problem of {@code kind} in {@code function}; any thread. */
    void record(String function, Kind kind, String message) {
        Problem problem = new Problem(clock.instant().toString(), function, kind, message);
        slots.set((int) (next.getAndIncrement() & (SLOTS - 1)), problem);
    }

    /** The kept problems, newest first; any thread. */
    List<Problem> latest() {
        long end = next.get();
        List<Problem> out = new ArrayList<>(KEPT);
        for (long i = end - 1; i >= Math.max(0, end - KEPT); i--) {
            Problem p = slots.get((int) (i & (SLOTS - 1)));
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }
}
