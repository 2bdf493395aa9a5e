package io.edgefn.buffer.internal;

import java.util.Arrays;

/**
 * A sparse, rebuildable map from sequence number to file position within one segment: one entry per
 * {@link #INTERVAL} bytes of records, each a {@code long} packing the sequence relative to the
 * segment's base (high 32 bits) and the byte position (low 32 bits). 8 bytes per 4 KiB of log keeps
 * ten million 256-byte records under 6 MB of heap. Entries are hints: the reader scans forward from
 * the floor entry. Never persisted; built by whoever writes or scans the segment. Thread-safe.
 */
final class SparseIndex {
    /** Bytes of log between two entries. */
    static final int INTERVAL = 4096;

    private long[] entries = new long[16];
    private int count;
    /** The position of the last entry, read without the lock so that most records cost no locking. */
    private volatile long lastPosition = -INTERVAL;

    /** Adds an entry for a record at {@code position} if it lies past the last entry by an interval. */
    void maybeAdd(long relativeSequence, long position) {
        if (position - lastPosition < INTERVAL) {
            return;
        }
        synchronized (this) {
            long lastPos = count == 0 ? -INTERVAL : (entries[count - 1] & 0xFFFFFFFFL);
            if (position - lastPos < INTERVAL) {
                return;
            }
            if (count == entries.length) {
                entries = Arrays.copyOf(entries, count * 2);
            }
            entries[count++] = (relativeSequence << 32) | position;
            lastPosition = position;
        }
    }

    /** Forgets every entry at or beyond {@code position} (after a failed write or a truncation). */
    synchronized void truncate(long position) {
        while (count > 0 && (entries[count - 1] & 0xFFFFFFFFL) >= position) {
            count--;
        }
        lastPosition = count == 0 ? -INTERVAL : (entries[count - 1] & 0xFFFFFFFFL);
    }

    /**
     * The last entry whose relative sequence is at most {@code relativeSequence}, packed as stored
     * (read it with {@link #positionOf} and {@link #relativeSequenceOf}); 0 (the segment's start) if none.
     */
    synchronized long floorEntry(long relativeSequence) {
        int lo = 0;
        int hi = count - 1;
        long found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long rel = entries[mid] >>> 32;
            if (rel <= relativeSequence) {
                found = entries[mid];
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The position of the last indexed record whose relative sequence is at most {@code relativeSequence}, or 0. */
    long floorPosition(long relativeSequence) {
        return positionOf(floorEntry(relativeSequence));
    }

    /** The file position of an entry from {@link #floorEntry}. */
    static long positionOf(long entry) {
        return entry & 0xFFFFFFFFL;
    }

    /** The sequence, relative to the segment's base, of the record at an entry from {@link #floorEntry}. */
    static long relativeSequenceOf(long entry) {
        return entry >>> 32;
    }

    /** The number of entries, for tests of memory use. */
    synchronized int size() {
        return count;
    }
}
