package io.edgefn.buffer.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The segmented log of one priority band: a directory {@code p<priority>} of segment files named by
 * the sequence number of their first record, like a Kafka partition.
 *
 * <p>Design. Records are appended only by the writer thread: {@link #stage} frames a record into a
 * staging buffer, {@link #commit} writes the staged bytes with one positional write and fsyncs, and
 * only then publishes the new {@code durableSize} of the segment and {@code durableEnd} of the band,
 * so readers never see a record that a power cut could take back (and a sequence number is never
 * handed to a reader before it is durable, which is what makes reusing the numbers of a failed write
 * safe). Readers scan forward from a sparse-index hint, checking every CRC; damage is skipped and
 * counted once. Sealed segments are fsynced when sealed; at open only the last segment is scanned
 * (the recovery point), because only it can have a torn tail.
 *
 * <p>Threading: methods marked "writer" are called only on the writer thread; {@link #read} may be
 * called by any thread holding the calling cursor's lock; segment map changes are concurrent-safe.
 */
final class BandLog {
    private static final System.Logger LOG = System.getLogger(BandLog.class.getName());

    final int priority;
    final String directory;
    private final Storage storage;
    private final Counters counters;
    private final long segmentBytes;
    private final ConcurrentSkipListMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
    private final Set<String> reportedDamage = ConcurrentHashMap.newKeySet();
    /** The sequence after the last durable record. */
    private volatile long durableEnd;
    // Writer-owned state.
    private long nextSeq;
    private Segment active;
    private static final int MAX_STAGING = 1 << 20;
    private ByteBuffer staging = ByteBuffer.allocateDirect(16 * 1024);
    private final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    private boolean dirty;
    /** The writer thread once it runs; before that (recovery in open) the opening thread owns the band. */
    private volatile Thread owner;
    private long committedSize;
    private long committedSeq;

    private BandLog(int priority, Storage storage, Counters counters, long segmentBytes) {
        this.priority = priority;
        this.directory = "p" + priority;
        this.storage = storage;
        this.counters = counters;
        this.segmentBytes = segmentBytes;
    }

    /**
     * Opens the band's segments. The last one is validated record by record and its torn tail cut off,
     * unless {@code cleanEnd} (from the clean-shutdown marker) gives its intact size.
     */
    static BandLog open(int priority, Storage storage, Counters counters, long segmentBytes,
                        CleanShutdownMarker.BandEnd cleanEnd) throws IOException {
        BandLog band = new BandLog(priority, storage, counters, segmentBytes);
        List<Long> bases = new ArrayList<>();
        for (String name : storage.list(band.directory)) {
            long base = Segment.parseFileName(name);
            if (base >= 0) {
                bases.add(base);
            }
        }
        Collections.sort(bases);
        for (int i = 0; i < bases.size(); i++) {
            long base = bases.get(i);
            String path = band.directory + "/" + Segment.fileName(base);
            StorageFile file = storage.open(path, false);
            long size = file.size();
            Segment seg = new Segment(base, path, file, size, Long.MAX_VALUE);
            seg.sealed = i < bases.size() - 1;
            band.segments.put(base, seg);
            counters.bytesOnDisk.addAndGet(size);
        }
        if (band.segments.isEmpty()) {
            band.nextSeq = 0;
        } else {
            Segment last = band.segments.lastEntry().getValue();
            if (cleanEnd != null && cleanEnd.segmentBase() == last.baseSeq && cleanEnd.size() == last.writeSize) {
                band.nextSeq = cleanEnd.nextSeq();
            } else {
                band.nextSeq = band.recoverTail(last);
            }
            band.active = last;
            band.committedSize = last.writeSize;
        }
        band.durableEnd = band.nextSeq;
        band.committedSeq = band.nextSeq;
        return band;
    }

    /** Scans the last segment, cuts a torn tail, and returns the sequence after its last intact record. */
    private long recoverTail(Segment seg) throws IOException {
        long size = seg.file.size();
        SegmentScanner scanner = new SegmentScanner(seg.file, 0, size, seg.baseSeq - 1, damageListener(seg));
        long last = seg.baseSeq - 1;
        long maxExpiry = 0;
        while (scanner.next()) {
            ByteBuffer b = scanner.buffer();
            int at = scanner.offsetInBuffer();
            last = RecordFormat.sequence(b, at);
            long exp = RecordFormat.expiresAt(b, at);
            maxExpiry = Math.max(maxExpiry, exp == 0 ? Long.MAX_VALUE : exp);
            seg.index.maybeAdd(last - seg.baseSeq, scanner.position());
        }
        seg.maxExpiresAt = maxExpiry;
        if (scanner.tornAt() >= 0) {
            long cut = scanner.tornAt();
            LOG.log(Level.WARNING, "offline buffer: truncating torn tail of " + storage.describe(seg.path) + " at byte "
                    + cut + " (" + (size - cut) + " bytes after the last intact record, sequence " + last + ")");
            seg.file.truncate(cut);
            seg.file.force();
            size = cut;
        }
        counters.bytesOnDisk.addAndGet(size - seg.durableSize);
        seg.writeSize = size;
        seg.durableSize = size;
        return last + 1;
    }

    private SegmentScanner.Listener damageListener(Segment seg) {
        return (from, to, lastGood, nextGood) -> {
            if (reportedDamage.add(seg.path + "@" + from)) {
                long lost = Math.max(0, nextGood - lastGood - 1);
                counters.droppedCorrupt.addAndGet(lost);
                LOG.log(Level.WARNING, "offline buffer: damaged bytes " + from + ".." + to + " of "
                        + storage.describe(seg.path) + ": skipped " + lost + " record(s) of priority " + priority
                        + " after sequence " + lastGood + "; the records after them are kept");
            }
        };
    }

    /** Makes {@code writer} the only thread allowed to change the band from now on. */
    void ownedBy(Thread writer) {
        this.owner = writer;
    }

    /** Cheap guard: a second thread changing the files would corrupt the log. */
    private void checkWriter() {
        Thread o = owner;
        if (o != null && o != Thread.currentThread()) {
            throw new IllegalStateException("offline buffer: priority " + priority + " changed by "
                    + Thread.currentThread().getName() + ", but only the writer thread " + o.getName() + " may change it");
        }
    }

    /** The sequence after the last durable record. */
    long durableEnd() {
        return durableEnd;
    }

    /** The sequence of the first record still held (segments before it were deleted). */
    long startSeq() {
        Map.Entry<Long, Segment> first = segments.firstEntry();
        return first == null ? durableEnd : first.getKey();
    }

    /** Writer: makes later sequence numbers start at least at {@code seq} (a cursor was ahead of the log). */
    void advanceTo(long seq) {
        if (seq > nextSeq) {
            nextSeq = seq;
            committedSeq = seq;
            durableEnd = seq;
        }
    }

    /** Receives the records a {@link #read} finds. */
    interface RecordSink {
        /** Takes one live (unexpired) record; the payload is a fresh copy. */
        void accept(long seq, long enqueuedAt, long expiresAt, byte[] payload);
    }

    /**
     * Reads up to {@code max} unexpired records from {@code rp} on, advancing it; expired records are
     * passed over and counted in the returned value's high half. Returns {@code delivered | expired << 32}.
     */
    long read(ReadPosition rp, int max, long now, RecordSink sink) throws IOException {
        int delivered = 0;
        long expired = 0;
        while (delivered < max && rp.seq < durableEnd) {
            Map.Entry<Long, Segment> first = segments.firstEntry();
            if (first == null) {
                break;
            }
            if (rp.seq < first.getKey()) {
                rp.reset(first.getKey());
            }
            Segment seg = segments.floorEntry(rp.seq).getValue();
            if (rp.segment != seg || rp.scanner == null) {
                rp.segment = seg;
                long hint = seg.index.floorPosition(rp.seq - seg.baseSeq);
                rp.scanner = new SegmentScanner(seg.file, hint, seg.durableSize, seg.baseSeq - 1, damageListener(seg));
            }
            boolean found;
            try {
                rp.scanner.extendLimit(seg.durableSize);
                found = rp.scanner.next();
            } catch (java.nio.channels.ClosedChannelException deleted) {
                rp.reset(rp.seq);
                if (!segments.containsKey(seg.baseSeq)) {
                    continue;
                }
                throw deleted;
            }
            if (!found) {
                Map.Entry<Long, Segment> next = segments.higherEntry(seg.baseSeq);
                if (next == null) {
                    break;
                }
                if (rp.scanner.tornAt() < 0 && rp.scanner.limit() < seg.durableSize) {
                    continue;
                }
                if (rp.scanner.tornAt() >= 0 && rp.seq < next.getKey()
                        && reportedDamage.add(seg.path + "@" + rp.scanner.tornAt())) {
                    counters.droppedCorrupt.addAndGet(next.getKey() - rp.seq);
                    LOG.log(Level.WARNING, "offline buffer: damaged end of " + storage.describe(seg.path) + " from byte "
                            + rp.scanner.tornAt() + ": skipped " + (next.getKey() - rp.seq) + " record(s)");
                }
                rp.reset(Math.max(rp.seq, next.getKey()));
                continue;
            }
            ByteBuffer b = rp.scanner.buffer();
            int at = rp.scanner.offsetInBuffer();
            long seq = RecordFormat.sequence(b, at);
            seg.index.maybeAdd(seq - seg.baseSeq, rp.scanner.position());
            if (seq < rp.seq) {
                continue;
            }
            rp.seq = seq + 1;
            long expiresAt = RecordFormat.expiresAt(b, at);
            if (expiresAt != 0 && expiresAt <= now) {
                expired++;
                continue;
            }
            sink.accept(seq, RecordFormat.enqueuedAt(b, at), expiresAt, RecordFormat.payload(b, at));
            delivered++;
        }
        return delivered | (expired << 32);
    }

    /** The enqueue time of the first live record at or after {@code seq}, or -1 if none is durable. */
    long enqueuedAtOfFirst(long seq, long now) throws IOException {
        long[] found = {-1};
        ReadPosition rp = new ReadPosition(seq);
        read(rp, 1, now, (s, enq, exp, payload) -> found[0] = enq);
        return found[0];
    }

    /** Writer: frames a record into the staging buffer (rolling the segment first if it would not fit) and returns its sequence. */
    long stage(byte[] payload, long enqueuedAt, long expiresAt) throws IOException {
        checkWriter();
        int size = RecordFormat.framedSize(payload.length);
        if (active == null || (active.writeSize + staging.position() + size > segmentBytes
                && active.writeSize + staging.position() > 0)) {
            roll();
        }
        if (staging.remaining() < size) {
            if (staging.capacity() < MAX_STAGING) {
                // Grow rather than split a batch into several writes: one write per band per batch.
                ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(staging.position() + size, staging.capacity() * 2));
                bigger.put(staging.flip());
                staging = bigger;
            } else {
                flushStaged();
                if (staging.capacity() < size) {
                    staging = ByteBuffer.allocateDirect(size);
                }
            }
        }
        long seq = nextSeq++;
        long position = active.writeSize + staging.position();
        RecordFormat.encode(staging, crc, seq, priority, enqueuedAt, expiresAt, payload);
        active.index.maybeAdd(seq - active.baseSeq, position);
        active.maxExpiresAt = Math.max(active.maxExpiresAt, expiresAt == 0 ? Long.MAX_VALUE : expiresAt);
        counters.bytesOnDisk.addAndGet(size);
        dirty = true;
        return seq;
    }

    private void flushStaged() throws IOException {
        staging.flip();
        int n = staging.remaining();
        active.file.write(staging, active.writeSize);
        active.writeSize += n;
        staging.clear();
    }

    /** Writer: whether records were staged or written since the last commit. */
    boolean dirty() {
        return dirty;
    }

    /** Writer: writes the staged records to the file (one positional write). */
    void write() throws IOException {
        checkWriter();
        if (dirty) {
            flushStaged();
            committedSize = active.writeSize;
            committedSeq = nextSeq;
            dirty = false;
        }
    }

    /** Writer: fsyncs what was written and publishes it to readers. */
    void force() throws IOException {
        checkWriter();
        if (unforced()) {
            active.file.force();
            counters.fsyncs.incrementAndGet();
            active.durableSize = active.writeSize;
        }
        durableEnd = committedSeq;
    }

    /** Writer: the sequence after the last record written by a successful commit. */
    long committedSeq() {
        return committedSeq;
    }

    /** Writer: whether written records wait for an fsync (async durability). */
    boolean unforced() {
        return active != null && active.writeSize > active.durableSize;
    }

    /** Writer: after a failed write, forgets what the failed batch staged or wrote so the next write overwrites it. */
    void rollback() {
        checkWriter();
        staging.clear();
        dirty = false;
        if (active == null) {
            return;
        }
        counters.bytesOnDisk.addAndGet(committedSize - active.writeSize);
        active.writeSize = committedSize;
        active.index.truncate(committedSize);
        nextSeq = committedSeq;
        try {
            active.file.truncate(committedSize);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "offline buffer: could not truncate " + storage.describe(active.path)
                    + " after a failed write; the next write overwrites it", e);
        }
    }

    /** Writer: seals the active segment (fsynced) and starts a new one named by the next sequence. */
    void roll() throws IOException {
        checkWriter();
        if (active != null) {
            if (staging.position() > 0) {
                flushStaged();
            }
            if (active.writeSize > active.durableSize) {
                active.file.force();
                counters.fsyncs.incrementAndGet();
            }
            active.durableSize = active.writeSize;
            durableEnd = nextSeq;
            active.sealed = true;
        }
        committedSeq = nextSeq;
        storage.createDirectory(directory);
        String path = directory + "/" + Segment.fileName(nextSeq);
        StorageFile file = storage.open(path, true);
        file.truncate(0);
        storage.syncDirectory(directory);
        storage.syncDirectory("");
        Segment seg = new Segment(nextSeq, path, file, 0, 0);
        segments.put(nextSeq, seg);
        active = seg;
        committedSize = 0;
    }

    /** The segments, oldest first (a live view). */
    Iterable<Segment> segments() {
        return segments.values();
    }

    /** The oldest segment, or null. */
    Segment head() {
        Map.Entry<Long, Segment> e = segments.firstEntry();
        return e == null ? null : e.getValue();
    }

    /** The sequence after the records of {@code seg}: the next segment's base, or the durable end. */
    long endOf(Segment seg) {
        Long next = segments.higherKey(seg.baseSeq);
        return next == null ? durableEnd : next;
    }

    /** Writer: whether {@code seg} is the segment appends go to. */
    boolean isActive(Segment seg) {
        return seg == active;
    }

    /** Writer: deletes the oldest segment (it must be sealed) and returns the bytes freed. */
    long deleteHead() throws IOException {
        checkWriter();
        Segment seg = head();
        if (seg == null || seg == active) {
            throw new IllegalStateException("offline buffer: cannot delete the active segment of " + directory);
        }
        segments.remove(seg.baseSeq);
        seg.file.close();
        storage.delete(seg.path);
        storage.syncDirectory(directory);
        counters.bytesOnDisk.addAndGet(-seg.durableSize);
        return seg.durableSize;
    }

    /** Writer: the active segment's base and size and the next sequence, for the clean-shutdown marker. */
    CleanShutdownMarker.BandEnd end() {
        return active == null ? null : new CleanShutdownMarker.BandEnd(priority, active.baseSeq, active.writeSize, nextSeq);
    }

    /** Closes the files. */
    void close() {
        for (Segment seg : segments.values()) {
            try {
                seg.file.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "offline buffer: closing " + storage.describe(seg.path), e);
            }
        }
    }
}
