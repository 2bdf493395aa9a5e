package io.edgefn.buffer.internal;

/**
 * How long the group-commit writer keeps gathering appends before it writes and fsyncs a group
 * (commit window 0, the default).
 *
 * <p>Why. On a disk the writer's time is almost all fsync (profiled: 97 % of the writer's samples in
 * {@code fdatasync}), so appends per second are appends per fsync times fsyncs per second. Under a
 * closed load (producers that re-append as soon as an append is acknowledged) the acknowledged
 * appends come back in a burst right after a group completes. A writer that takes only what is
 * queued the moment it wakes catches part of that burst and fsyncs it alone, and the rest waits a
 * whole fsync for the next group: groups alternate large and small and every other fsync is
 * half-wasted (measured: 290–360 appends per fsync with 512 in flight).
 *
 * <p>Rule. After the first append of a group the writer keeps taking appends while they keep
 * arriving: it stops when no append arrived for {@link #GAP_NANOS} (the burst is over — a lone
 * producer pays only this gap), when the group holds as many appends as the largest of the recent
 * groups (everything in flight is probably here: no reason to wait for a gap), or when it has
 * gathered for half the recent fsync time (waiting longer would cost more than the fsync it
 * saves), never more than {@link #MAX_GATHER_NANOS}.
 *
 * <p>Pure arithmetic on the numbers it is given, no clock of its own. Threading: writer thread only.
 */
final class GroupSizer {
    /** A pause in arrivals this long ends the gathering. */
    static final long GAP_NANOS = 100_000;
    /** The longest a group gathers, whatever the fsyncs cost. */
    static final long MAX_GATHER_NANOS = 2_000_000;
    /** How many recent groups' sizes say how many appends are in flight. */
    static final int RECENT = 16;

    private final int[] recent = new int[RECENT];
    private int next;
    private long forceNanos;

    /**
     * Records a committed group: {@code appends} acknowledged after an fsync that took
     * {@code forceNanos} (a moving average of these bounds the gathering).
     */
    void committed(int appends, long forceNanos) {
        recent[next] = appends;
        next = (next + 1) % RECENT;
        this.forceNanos = this.forceNanos == 0 ? forceNanos : (this.forceNanos * 7 + forceNanos) / 8;
    }

    /** The largest group among the recent ones: the group size at which gathering stops at once. */
    int target() {
        int max = 1;
        for (int n : recent) {
            max = Math.max(max, n);
        }
        return max;
    }

    /** The longest a group gathers in all: half the recent fsync time, at most {@link #MAX_GATHER_NANOS}. */
    long gatherNanos() {
        return Math.min(forceNanos / 2, MAX_GATHER_NANOS);
    }

    /**
     * How long to wait for the next append of a group that holds {@code appends} after gathering for
     * {@code gatheredNanos}: 0 to stop gathering now.
     */
    long waitNanos(int appends, long gatheredNanos) {
        if (appends >= target()) {
            return 0;
        }
        long left = gatherNanos() - gatheredNanos;
        return left <= 0 ? 0 : Math.min(left, GAP_NANOS);
    }
}
