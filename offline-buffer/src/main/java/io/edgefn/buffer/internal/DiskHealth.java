package io.edgefn.buffer.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the disk refused lately: whether it is full, the last write error, and the log of both. A
 * full disk fails every append, and a busy gateway appends hundreds of times a second, so the log
 * says so at most once a {@link #REPORT_INTERVAL_MILLIS minute} (of the buffer's clock) with the
 * number of appends refused since the last report, and says when writes succeed again (also at
 * most once a minute, should a nearly full disk take and refuse writes in turn).
 *
 * <p>Threading: {@link #failed} and {@link #succeeded} run on the writer thread (or the opening
 * thread before it starts); the getters may be called from any thread.
 */
final class DiskHealth {
    /** The least time between two reports of failed writes. */
    static final long REPORT_INTERVAL_MILLIS = 60_000;
    private static final System.Logger LOG = System.getLogger(DiskHealth.class.getName());

    private final InstantSource clock;
    private final AtomicLong failedAppends;
    private volatile boolean full;
    private volatile String lastError;
    // Writer-owned.
    private boolean failing;
    private long failingSince;
    private long unreported;
    private long lastFailureReport = Long.MIN_VALUE;
    private long lastRecoveryReport = Long.MIN_VALUE;

    DiskHealth(InstantSource clock, AtomicLong failedAppends) {
        this.clock = clock;
        this.failedAppends = failedAppends;
    }

    /** Whether the last write failed because the file system has no space left (ENOSPC, EDQUOT). */
    boolean full() {
        return full;
    }

    /** The last write error (what was written, where, and why), null if none since open. */
    String lastError() {
        return lastError;
    }

    /**
     * Writer: a write, fsync or checkpoint ({@code what}, naming the file) failed with {@code e},
     * refusing {@code appends} appends. Logged at most once a minute.
     */
    void failed(String what, IOException e, int appends) {
        long now = clock.millis();
        boolean noSpace = isNoSpace(e);
        full = noSpace;
        lastError = what + ": " + e;
        failedAppends.addAndGet(appends);
        unreported += appends;
        if (!failing) {
            failing = true;
            failingSince = now;
        }
        if (lastFailureReport != Long.MIN_VALUE && now - lastFailureReport < REPORT_INTERVAL_MILLIS) {
            return;
        }
        LOG.log(Level.ERROR, "offline buffer: " + (noSpace ? "the disk is full: " : "the disk refused a write: ")
                + lastError + "; " + unreported + " append(s) refused since "
                + (lastFailureReport == Long.MIN_VALUE ? "open" : "the last report")
                + " (reported at most once a minute; records accepted before are kept)");
        lastFailureReport = now;
        unreported = 0;
    }

    /** Writer: appends were written; ends a run of failures (logged at most once a minute). */
    void succeeded() {
        if (!failing) {
            return;
        }
        failing = false;
        full = false;
        long now = clock.millis();
        if (lastRecoveryReport != Long.MIN_VALUE && now - lastRecoveryReport < REPORT_INTERVAL_MILLIS) {
            return;
        }
        lastRecoveryReport = now;
        LOG.log(Level.WARNING, "offline buffer: writes succeed again after " + (now - failingSince)
                + " ms of failures; " + failedAppends.get() + " append(s) refused since open, " + unreported
                + " of them since the last report");
        unreported = 0;
    }

    /** Whether {@code e} (or a cause) is the file system's "no space left" (or "quota exceeded"). */
    static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
