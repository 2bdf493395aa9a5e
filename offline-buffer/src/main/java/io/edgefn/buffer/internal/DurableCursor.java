package io.edgefn.buffer.internal;

import io.edgefn.buffer.BufferIOException;
import io.edgefn.buffer.BufferStats;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.buffer.Cursor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A named consumer with, per priority band: the acknowledged position (every record below it is
 * acknowledged, expired or gone), a read position, and the records in flight. Its durable state is
 * just the acknowledged position of each band, written by the writer thread as a checkpoint file.
 *
 * <p>Threading: every public method takes the cursor's lock; the lock is never held while a caller's
 * code runs. {@link #poll(int, Duration)} waits on the store's new-data condition without the lock.
 */
final class DurableCursor implements Cursor {
    static final String DIRECTORY = "cursors";

    private final String name;
    private final String path;
    private final LogStore store;
    private final ReentrantLock lock = new ReentrantLock();
    private final long[] acked = new long[LogStore.BANDS];
    private final long[] checkpointed = new long[LogStore.BANDS];
    private final long[] deliveredHigh = new long[LogStore.BANDS];
    private final ReadPosition[] read = new ReadPosition[LogStore.BANDS];
    private final InFlight[] inFlight = new InFlight[LogStore.BANDS];
    private boolean dirty;

    DurableCursor(String name, LogStore store, long[] ackedPositions) {
        this.name = name;
        this.path = pathOf(name);
        this.store = store;
        for (int b = 0; b < LogStore.BANDS; b++) {
            acked[b] = ackedPositions[b];
            checkpointed[b] = ackedPositions[b];
            deliveredHigh[b] = ackedPositions[b];
            read[b] = new ReadPosition(ackedPositions[b]);
            inFlight[b] = new InFlight();
        }
    }

    /** The checkpoint file of the cursor named {@code name}. */
    static String pathOf(String name) {
        return DIRECTORY + "/" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8) + ".cursor";
    }

    /** The cursor name encoded in a checkpoint file name, or null if it is not one. */
    static String nameOf(String fileName) {
        if (!fileName.endsWith(".cursor")) {
            return null;
        }
        return java.net.URLDecoder.decode(fileName.substring(0, fileName.length() - 7), StandardCharsets.UTF_8);
    }

    /** Decodes a checkpoint's content into the acknowledged position per band. */
    static long[] decode(byte[] content, String where) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(content);
        int n = buf.getInt();
        if (n != LogStore.BANDS || buf.remaining() != 8 * n) {
            throw new IOException(where + " is damaged: expected " + LogStore.BANDS + " positions, found " + n);
        }
        long[] positions = new long[n];
        for (int i = 0; i < n; i++) {
            positions[i] = buf.getLong();
        }
        return positions;
    }

    @Override
    public List<BufferedRecord> poll(int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("cursor '" + name + "': poll max must be positive, was " + max);
        }
        List<BufferedRecord> out = new ArrayList<>(Math.min(max, 4096));
        long now = store.nowMillis();
        lock.lock();
        try {
            for (int b = 0; b < LogStore.BANDS && out.size() < max; b++) {
                BandLog band = store.band(b);
                if (read[b].seq >= band.durableEnd()) {
                    continue;
                }
                final int priority = b;
                InFlight flight = inFlight[b];
                long result = band.read(read[b], max - out.size(), now, (seq, enq, exp, payload) -> {
                    out.add(new BufferedRecord(BufferedRecord.offsetOf(priority, seq), priority, enq, exp, payload));
                    flight.add(seq);
                });
                long expired = result >>> 32;
                if (expired > 0) {
                    store.counters().droppedTtl.addAndGet(expired);
                }
                deliveredHigh[b] = Math.max(deliveredHigh[b], read[b].seq);
                advance(b);
            }
        } catch (IOException e) {
            throw new BufferIOException("cursor '" + name + "': reading the log", e);
        } finally {
            lock.unlock();
        }
        return out;
    }

    @Override
    public List<BufferedRecord> poll(int max, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long version = store.dataVersion();
            List<BufferedRecord> records = poll(max);
            long left = deadline - System.nanoTime();
            if (!records.isEmpty() || left <= 0) {
                return records;
            }
            store.awaitNewData(version, left);
        }
    }

    @Override
    public void ack(long offset) {
        int b = BufferedRecord.priorityOf(offset);
        long seq = BufferedRecord.sequenceOf(offset);
        if (b >= LogStore.BANDS || offset < 0) {
            throw new IllegalArgumentException("cursor '" + name + "': offset " + offset + " is not an offset of this buffer");
        }
        boolean changed;
        lock.lock();
        try {
            if (seq < acked[b]) {
                return;
            }
            if (!inFlight[b].ack(seq)) {
                if (seq >= deliveredHigh[b] && inFlight[b].state(seq) == 0) {
                    throw new IllegalArgumentException("cursor '" + name + "': offset " + offset + " (priority " + b
                            + ", sequence " + seq + ") was never handed out by poll");
                }
                return; // acknowledged before, or handed out before a rewind
            }
            changed = advance(b);
        } finally {
            lock.unlock();
        }
        if (changed) {
            store.requestCheckpoint();
        }
    }

    /** Moves the acknowledged position of band {@code b} over the acknowledged prefix; under the lock. */
    private boolean advance(int b) {
        InFlight flight = inFlight[b];
        flight.dropAckedPrefix();
        long position = flight.isEmpty() ? read[b].seq : flight.first();
        if (position > acked[b]) {
            acked[b] = position;
            dirty = true;
            return true;
        }
        return false;
    }

    @Override
    public void rewind() {
        lock.lock();
        try {
            for (int b = 0; b < LogStore.BANDS; b++) {
                inFlight[b].clear();
                read[b].reset(acked[b]);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long depth() {
        long depth = 0;
        lock.lock();
        try {
            for (int b = 0; b < LogStore.BANDS; b++) {
                depth += depthOf(b);
            }
        } finally {
            lock.unlock();
        }
        return depth;
    }

    /** Records of band {@code b} not acknowledged that can still be read; under the lock. */
    private long depthOf(int b) {
        BandLog band = store.band(b);
        long end = band.durableEnd();
        long from = Math.max(acked[b], band.startSeq());
        return Math.max(0, end - from - inFlight[b].ackedCount() - band.lostIn(from, end));
    }

    /**
     * The first {@code max} records this cursor has not acknowledged, highest priority first, read
     * without changing anything: in-flight records are included, the read positions stay.
     */
    List<BufferedRecord> peek(int max) throws IOException {
        List<BufferedRecord> out = new ArrayList<>();
        long now = store.nowMillis();
        lock.lock();
        try {
            for (int b = 0; b < LogStore.BANDS && out.size() < max; b++) {
                final int priority = b;
                InFlight flight = inFlight[b];
                ReadPosition rp = new ReadPosition(acked[b]);
                BandLog band = store.band(b);
                while (out.size() < max && rp.seq < band.durableEnd()) {
                    long before = rp.seq;
                    band.read(rp, max - out.size(), now, (seq, enq, exp, payload) -> {
                        if (flight.state(seq) != 2) {
                            out.add(new BufferedRecord(BufferedRecord.offsetOf(priority, seq), priority, enq, exp, payload));
                        }
                    });
                    if (rp.seq == before) {
                        break;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        return out;
    }

    @Override
    public String name() {
        return name;
    }

    /** Marks the positions as needing a checkpoint (a new cursor gets its file). */
    void markDirty() {
        lock.lock();
        try {
            dirty = true;
        } finally {
            lock.unlock();
        }
    }

    /** Writer: the content of a checkpoint if the acknowledged positions moved since the last one, else null. */
    byte[] checkpointIfDirty() {
        lock.lock();
        try {
            if (!dirty) {
                return null;
            }
            dirty = false;
            return encode(acked);
        } finally {
            lock.unlock();
        }
    }

    /** Writer: the content of a checkpoint of the current positions. */
    byte[] checkpoint() {
        lock.lock();
        try {
            dirty = false;
            return encode(acked);
        } finally {
            lock.unlock();
        }
    }

    /** Writer: records that a checkpoint with {@code content} is durable, or failed. */
    void checkpointed(byte[] content, boolean ok) {
        lock.lock();
        try {
            if (ok) {
                ByteBuffer buf = ByteBuffer.wrap(content, 4, content.length - 4);
                for (int b = 0; b < LogStore.BANDS; b++) {
                    checkpointed[b] = buf.getLong();
                }
            } else {
                dirty = true;
            }
        } finally {
            lock.unlock();
        }
    }

    private static byte[] encode(long[] positions) {
        ByteBuffer buf = ByteBuffer.allocate(4 + 8 * positions.length);
        buf.putInt(positions.length);
        for (long p : positions) {
            buf.putLong(p);
        }
        return buf.array();
    }

    /** The durable (checkpointed) acknowledged position of band {@code b}. */
    long checkpointedPosition(int b) {
        lock.lock();
        try {
            return checkpointed[b];
        } finally {
            lock.unlock();
        }
    }

    /** The acknowledged position of band {@code b}. */
    long ackedPosition(int b) {
        lock.lock();
        try {
            return acked[b];
        } finally {
            lock.unlock();
        }
    }

    /** Writer: counts the records of {@code [from, to)} in band {@code b} this cursor had not consumed, now deleted. */
    long unconsumedIn(int b, long from, long to) {
        lock.lock();
        try {
            long start = Math.max(from, acked[b]);
            long n = Math.max(0, to - start);
            n -= inFlight[b].ackedIn(start, to);
            return Math.max(0, n);
        } finally {
            lock.unlock();
        }
    }

    /** This cursor's backlog, for {@link io.edgefn.buffer.OfflineBuffer#stats()}. */
    BufferStats.CursorStats stats(long now) throws IOException {
        List<BufferStats.PriorityStats> priorities = new ArrayList<>();
        long total = 0;
        long oldest = 0;
        lock.lock();
        try {
            for (int b = 0; b < LogStore.BANDS; b++) {
                long depth = depthOf(b);
                if (depth == 0) {
                    continue;
                }
                long enq = store.band(b).enqueuedAtOfFirst(Math.max(acked[b], store.band(b).startSeq()), now);
                long age = enq < 0 ? 0 : Math.max(0, now - enq);
                priorities.add(new BufferStats.PriorityStats(b, depth, age));
                total += depth;
                oldest = Math.max(oldest, age);
            }
        } finally {
            lock.unlock();
        }
        return new BufferStats.CursorStats(name, total, oldest, priorities);
    }

    /** The checkpoint file of this cursor. */
    String path() {
        return path;
    }
}
