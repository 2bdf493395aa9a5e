package io.edgefn.buffer.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads the records of one segment forward from a position, checking each frame's CRC. When a
 * frame is damaged it searches for the next intact record (by its magic, a matching CRC and a
 * larger sequence number), reports the damaged byte range to a {@link Listener} and continues; when
 * no intact record follows up to the limit, the scan stops and {@link #tornAt()} tells where — until
 * the limit grows (the segment is still written), when the search resumes there.
 *
 * <p>Reading. The scanner reads the file in windows of whole chunks into a direct buffer (no copy
 * through a JDK temporary buffer) and checks and decodes every record the window holds before it
 * reads again. The first window is small ({@value #FIRST_WINDOW} bytes: a cursor that reads one
 * record, or stats looking at the oldest one, does not pull megabytes from the disk); each refill
 * doubles it up to {@value #MAX_WINDOW} bytes, so a long sequential drain reads the disk in
 * requests large enough to run at its sequential bandwidth. A record that straddles the end of a
 * window is read again whole at the start of the next one. The buffer can be handed from one
 * scanner to the next ({@link ReadPosition} keeps it), so a cursor moving through segments
 * allocates it once.
 *
 * <p>Not thread-safe: one scanner per reader.
 */
final class SegmentScanner {
    /** Told about each damaged range the scanner skipped. */
    interface Listener {
        /** Bytes {@code [from, to)} were damaged; the records before and after have sequences {@code lastGood} and {@code nextGood}. */
        void skipped(long from, long to, long lastGood, long nextGood);
    }

    /** The first read's size. */
    static final int FIRST_WINDOW = 64 * 1024;
    /** The largest read (a larger record is read whole in one window of its size). */
    static final int MAX_WINDOW = 1 << 20;

    private final StorageFile file;
    private long limit;
    private final Listener listener;
    private final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    private ByteBuffer buf;
    private int window = FIRST_WINDOW;
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
        this(file, start, limit, afterSeq, listener, null);
    }

    /**
     * As {@link #SegmentScanner(StorageFile, long, long, long, Listener)}, reading into {@code reuse}
     * (a direct buffer an earlier scanner {@linkplain #buffer() used}; its content is dropped) when
     * not null and not larger than {@link #MAX_WINDOW}; a buffer of that size also starts the
     * windows at that size.
     */
    SegmentScanner(StorageFile file, long start, long limit, long afterSeq, Listener listener, ByteBuffer reuse) {
        this.file = file;
        // A buffer grown for one huge record is not kept: a drain holds at most MAX_WINDOW.
        this.buf = reuse != null && reuse.isDirect() && reuse.capacity() <= MAX_WINDOW
                ? reuse : ByteBuffer.allocateDirect(FIRST_WINDOW);
        this.window = Math.min(MAX_WINDOW, Math.max(FIRST_WINDOW, buf.capacity()));
        this.buf.clear().limit(0);
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
            RecordFormat.Check check = RecordFormat.check(windowView(), rel, crc);
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
        if (winLen > 0) {
            window = Math.min(MAX_WINDOW, window * 2);
        }
        int capacity = Math.max(window, need);
        if (buf.capacity() < capacity) {
            buf = ByteBuffer.allocateDirect(capacity);
        }
        buf.clear();
        buf.limit((int) Math.min(Math.max(window, need), limit - at));
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
                if (RecordFormat.check(windowView(), rel, crc) == RecordFormat.Check.VALID
                        && RecordFormat.sequence(buf, rel) > lastSeq) {
                    return p;
                }
            }
            p++;
        }
        return -1;
    }
}
