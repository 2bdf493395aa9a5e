package io.edgefn.buffer.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads the records of one segment forward from a position, checking each frame's CRC. When a
 * frame is damaged it searches for the next intact record (by its magic, a matching CRC and a
 * larger sequence number), reports the damaged byte range to a {@link Listener} and continues; when
 * no intact record follows up to the limit, the scan stops and {@link #tornAt()} tells where — until
 * the limit grows (the segment is still written), when the search resumes there. Not thread-safe:
 * one scanner per reader.
 */
final class SegmentScanner {
    /** Told about each damaged range the scanner skipped. */
    interface Listener {
        /** Bytes {@code [from, to)} were damaged; the records before and after have sequences {@code lastGood} and {@code nextGood}. */
        void skipped(long from, long to, long lastGood, long nextGood);
    }

    private static final int WINDOW = 256 * 1024;

    private final StorageFile file;
    private long limit;
    private final Listener listener;
    private ByteBuffer buf = ByteBuffer.allocate(WINDOW);
    private long winStart;
    private int winLen;
    private long pos;
    private long lastSeq;
    private long current = -1;
    private long tornAt = -1;

    /**
     * A scanner of {@code file} over {@code [start, limit)}, accepting only records whose sequence is
     * greater than {@code afterSeq}.
     */
    SegmentScanner(StorageFile file, long start, long limit, long afterSeq, Listener listener) {
        this.file = file;
        this.limit = limit;
        this.pos = start;
        this.lastSeq = afterSeq;
        this.listener = listener;
        this.winStart = start;
        this.winLen = 0;
    }

    /** Moves to the next intact record; false at the limit or when only damage remains (see {@link #tornAt()}). */
    boolean next() throws IOException {
        while (pos < limit) {
            load(pos, RecordFormat.PREFIX);
            int rel = (int) (pos - winStart);
            RecordFormat.Check check = RecordFormat.check(windowView(), rel);
            if (check == RecordFormat.Check.INCOMPLETE) {
                long need = winLen - rel >= RecordFormat.PREFIX
                        ? RecordFormat.PREFIX + (long) buf.getInt(rel + 8) : RecordFormat.PREFIX;
                if (pos + need <= limit && (winStart != pos || winLen < need)) {
                    load(pos, (int) need);
                    continue;
                }
                check = RecordFormat.Check.INVALID;
            }
            if (check == RecordFormat.Check.VALID && RecordFormat.sequence(buf, rel) > lastSeq) {
                current = pos;
                lastSeq = RecordFormat.sequence(buf, rel);
                pos += RecordFormat.length(buf, rel);
                return true;
            }
            long damaged = pos;
            long resumed = resync(pos + 1);
            if (resumed < 0) {
                tornAt = damaged;
                pos = limit;
                return false;
            }
            int r = (int) (resumed - winStart);
            listener.skipped(damaged, resumed, lastSeq, RecordFormat.sequence(buf, r));
            pos = resumed;
        }
        return false;
    }

    /**
     * Lets the scan go on to {@code newLimit} (the segment grew); a smaller value is ignored. After
     * damage that reached the old limit, the search for the next intact record starts again at the
     * damage: records written after it are found, not lost with it.
     */
    void extendLimit(long newLimit) {
        if (newLimit > limit) {
            limit = newLimit;
            if (tornAt >= 0) {
                pos = tornAt;
                tornAt = -1;
            }
        }
    }

    /** The sequence of the last intact record read, or the {@code afterSeq} the scan started with. */
    long lastSequence() {
        return lastSeq;
    }

    /** The position the scan stops at. */
    long limit() {
        return limit;
    }

    /** Where the scan met damage that no intact record follows, or -1. */
    long tornAt() {
        return tornAt;
    }

    /** The file position of the current record. */
    long position() {
        return current;
    }

    /** The file position after the current record. */
    long nextPosition() {
        return pos;
    }

    /** The buffer holding the current record; read it with {@link RecordFormat} at {@link #offsetInBuffer()}. */
    ByteBuffer buffer() {
        return buf;
    }

    /** Where the current record starts in {@link #buffer()}. */
    int offsetInBuffer() {
        return (int) (current - winStart);
    }

    private ByteBuffer windowView() {
        return buf.limit(winLen);
    }

    /** Makes sure {@code [at, at + need)} (clipped to the limit) is in the window. */
    private void load(long at, int need) throws IOException {
        long want = Math.min(need, limit - at);
        if (at >= winStart && at + want <= winStart + winLen) {
            return;
        }
        int capacity = Math.max(WINDOW, need);
        if (buf.capacity() < capacity) {
            buf = ByteBuffer.allocate(capacity);
        }
        buf.clear();
        buf.limit((int) Math.min(buf.capacity(), limit - at));
        int n = file.read(buf, at);
        winStart = at;
        winLen = Math.max(n, 0);
        buf.limit(winLen).position(0);
    }

    /** The position of the next intact record at or after {@code from} with a larger sequence, or -1. */
    private long resync(long from) throws IOException {
        long p = from;
        while (p + RecordFormat.PREFIX <= limit) {
            load(p, RecordFormat.PREFIX);
            int rel = (int) (p - winStart);
            int end = winLen - 3;
            while (rel < end && buf.getInt(rel) != RecordFormat.MAGIC) {
                rel++;
            }
            if (rel >= end) {
                p = winStart + Math.max(end, 1);
                if (winStart + winLen >= limit) {
                    return -1;
                }
                continue;
            }
            p = winStart + rel;
            load(p, RecordFormat.PREFIX);
            rel = (int) (p - winStart);
            int size = buf.getInt(rel + 8);
            if (size >= RecordFormat.FIXED && size <= RecordFormat.FIXED + RecordFormat.MAX_PAYLOAD
                    && p + RecordFormat.PREFIX + size <= limit) {
                load(p, RecordFormat.PREFIX + size);
                rel = (int) (p - winStart);
                if (RecordFormat.check(windowView(), rel) == RecordFormat.Check.VALID
                        && RecordFormat.sequence(buf, rel) > lastSeq) {
                    return p;
                }
            }
            p++;
        }
        return -1;
    }
}
