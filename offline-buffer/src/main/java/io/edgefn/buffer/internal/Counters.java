package io.edgefn.buffer.internal;

import java.util.concurrent.atomic.AtomicLong;

/** The buffer's counters. Thread-safe (each one atomic; a snapshot of several is not). */
public final class Counters {
    /** Appends completed. */
    public final AtomicLong appends = new AtomicLong();
    /** fsyncs of segment files. */
    public final AtomicLong fsyncs = new AtomicLong();
    /** Expired records skipped or deleted, per cursor. */
    public final AtomicLong droppedTtl = new AtomicLong();
    /** Records deleted by drop-oldest, per cursor. */
    public final AtomicLong droppedFull = new AtomicLong();
    /** Appends refused by reject-new. */
    public final AtomicLong rejectedFull = new AtomicLong();
    /** Appends refused because the disk refused a write or an fsync. */
    public final AtomicLong failedAppends = new AtomicLong();
    /** Damaged records skipped. */
    public final AtomicLong droppedCorrupt = new AtomicLong();
    /** Bytes held in segment files (the logical end of each), including bytes written but not yet fsynced. */
    public final AtomicLong bytesOnDisk = new AtomicLong();
}
