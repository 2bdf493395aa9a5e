package io.edgefn.buffer;

import java.util.List;

/**
 * A snapshot of the buffer's metrics.
 *
 * @param bytesOnDisk  bytes held in segment files: the records they hold, up to each one's logical end
 * @param appends      appends completed since open
 * @param fsyncs       fsyncs of segment files since open
 * @param droppedTtl   expired records skipped or deleted, counted once per cursor that had not consumed them
 * @param droppedFull  records deleted by {@link FullPolicy#DROP_OLDEST}, counted once per cursor that had not consumed them
 * @param rejectedFull appends refused by {@link FullPolicy#REJECT_NEW}
 * @param droppedCorrupt records lost to damage (CRC mismatch, bytes gone) — records known to have
 *                     been fsynced, or followed by intact ones — counted once, when recovery or a
 *                     read finds them; a torn tail past the last fsync held no acknowledged record
 *                     and is not counted
 * @param failedAppends appends refused since open because the disk refused a write or an fsync
 * @param diskFull     whether the last write failed for lack of space (ENOSPC): true from that
 *                     failure until a write succeeds
 * @param lastWriteError the last write error since open (what was written, the file, the cause), or
 *                     null if there was none
 * @param cursors      one entry per cursor
 */
public record BufferStats(long bytesOnDisk, long appends, long fsyncs, long droppedTtl, long droppedFull,
                          long rejectedFull, long droppedCorrupt, long failedAppends, boolean diskFull,
                          String lastWriteError, List<CursorStats> cursors) {

    /** Compact canonical constructor: keeps an immutable copy of the cursor list. */
    public BufferStats {
        cursors = List.copyOf(cursors);
    }

    /**
     * The backlog of one cursor.
     *
     * @param name            the cursor's name
     * @param depth           records not yet acknowledged that can still be read (records known
     *                        lost to damage are not counted)
     * @param oldestAgeMillis age of the oldest unacknowledged record, 0 if none
     * @param priorities      one entry per priority holding unacknowledged records
     */
    public record CursorStats(String name, long depth, long oldestAgeMillis, List<PriorityStats> priorities) {
        /** Compact canonical constructor: keeps an immutable copy of the list. */
        public CursorStats {
            priorities = List.copyOf(priorities);
        }
    }

    /**
     * The backlog of one cursor in one priority.
     *
     * @param priority        0..9 or {@link OfflineBuffer#DEFAULT_PRIORITY}
     * @param depth           records not yet acknowledged
     * @param oldestAgeMillis age of the oldest unacknowledged record
     */
    public record PriorityStats(int priority, long depth, long oldestAgeMillis) {
    }
}
