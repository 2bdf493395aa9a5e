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
 * safe). Readers scan forward from a sparse-index hint, checking every CRC; damage is skipped, and
 * the records it destroyed are counted once ({@link LostRecords}) and left out of depth.
 *
 * <p>Recovery. Sealed segments were fsynced when sealed; at open only the last segment is scanned,
 * because only it can have a torn tail — and only past the last fsync. The caller says how far the
 * band is known fsynced (the clean-shutdown marker, the {@link RecoveryPoint}, cursor checkpoints):
 * damage at the end of the segment that starts past that point is a torn tail and is cut; damage
 * that destroyed records below it is corruption: the records are counted as lost, the file is kept
 * as it is, and appends continue in a new segment at the first sequence never handed out.
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
    private final LostRecords lost = new LostRecords();
    /** Opened by {@code OfflineBuffer.openReadOnly}: recovery only computes, nothing is written. */
    private final boolean readOnly;
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
    /** Bytes counted in {@code bytesOnDisk} by {@link #stage} that are still in the staging buffer. */
    private long stagedBytes;

    private BandLog(int priority, Storage storage, Counters counters, long segmentBytes, boolean readOnly) {
        this.priority = priority;
        this.directory = "p" + priority;
        this.storage = storage;
        this.counters = counters;
        this.segmentBytes = segmentBytes;
        this.readOnly = readOnly;
    }

    /**
     * Opens the band's segments and recovers the last one (see the class comment): every record
     * below {@code fsyncedEnd} was fsynced, so damage that destroyed one of them is corruption,
     * counted and kept; damage past them at the end of the segment is a torn tail, cut. With
     * {@code readOnly} nothing is written: the torn tail is only left unread, and no new segment is
     * started.
     */
    static BandLog open(int priority, Storage storage, Counters counters, long segmentBytes, long fsyncedEnd,
                        boolean readOnly) throws IOException {
        BandLog band = new BandLog(priority, storage, counters, segmentBytes, readOnly);
        List<Long> bases = new ArrayList<>();
        for (String name : storage.list(band.directory)) {
            long base = Segment.parseFileName(name);
            if (base >= 0) {
                bases.add(base);
            }
        }
        Collections.sort(bases);
        for (long base : bases) {
            String path = band.directory + "/" + Segment.fileName(base);
            StorageFile file;
            try {
                file = storage.open(path, false);
            } catch (java.nio.file.NoSuchFileException deleted) {
                if (readOnly) {
                    continue; // the host that runs on the directory deleted it after we listed it
                }
                throw deleted;
            }
            Segment seg = new Segment(base, path, file, file.size(), Long.MAX_VALUE);
            seg.sealed = true;
            band.segments.put(base, seg);
        }
        boolean newSegment = false;
        if (band.segments.isEmpty()) {
            band.nextSeq = Math.max(0, fsyncedEnd);
        } else {
            Segment last = band.segments.lastEntry().getValue();
            last.sealed = false;
            long end = band.recoverTail(last, fsyncedEnd);
            band.nextSeq = Math.max(end, fsyncedEnd);
            band.active = last;
            band.committedSize = last.writeSize;
            newSegment = end < fsyncedEnd && !readOnly;
        }
        for (Segment seg : band.segments.values()) {
            counters.bytesOnDisk.addAndGet(seg.writeSize);
        }
        band.durableEnd = band.nextSeq;
        band.committedSeq = band.nextSeq;
        if (newSegment) {
            // The damaged segment stays as it is (sealed; its intact records are still read);
            // appends go to a new segment named by the first sequence never handed out.
            band.roll();
        }
        return band;
    }

    /**
     * Scans the last segment; returns the sequence after its last intact record. Damage at its end
     * past {@code fsyncedEnd} is a torn tail and cut; records below {@code fsyncedEnd} that are not
     * there are counted as lost and the file is left as it is.
     */
    private long recoverTail(Segment seg, long fsyncedEnd) throws IOException {
        long size = seg.file.size();
        SegmentScanner scanner = new SegmentScanner(seg.file, 0, size, seg.baseSeq - 1, damageListener(seg));
        long maxExpiry = 0;
        while (scanner.next()) {
            ByteBuffer b = scanner.buffer();
            int at = scanner.offsetInBuffer();
            long seq = RecordFormat.sequence(b, at);
            long exp = RecordFormat.expiresAt(b, at);
            maxExpiry = Math.max(maxExpiry, exp == 0 ? Long.MAX_VALUE : exp);
            seg.index.maybeAdd(seq - seg.baseSeq, scanner.position());
        }
        seg.maxExpiresAt = maxExpiry;
        long last = scanner.lastSequence();
        long torn = scanner.tornAt();
        if (last + 1 < fsyncedEnd) {
            recordLoss(seg, torn >= 0 ? torn : size, size, last + 1, fsyncedEnd,
                    "they were fsynced, so this is damage, not a torn write; the file is kept as it is"
                            + (readOnly ? "" : " and appends continue in a new segment"));
        } else if (torn >= 0) {
            LOG.log(Level.WARNING, "offline buffer: " + (readOnly ? "found (read-only, not cut) " : "truncating ")
                    + "a torn tail of " + storage.describe(seg.path) + " at byte " + torn + " (" + (size - torn)
                    + " bytes written after the last fsync, after sequence " + last + ")");
            if (!readOnly) {
                seg.file.truncate(torn);
                seg.file.force();
            }
            size = torn;
        }
        seg.writeSize = size;
        seg.durableSize = size;
        return last + 1;
    }

    private SegmentScanner.Listener damageListener(Segment seg) {
        return (from, to, lastGood, nextGood) -> recordLoss(seg, from, to, lastGood + 1, nextGood,
                "the records after them are kept");
    }

    /**
     * Records that bytes {@code [fromByte, toByte)} of {@code seg} are damaged and sequences
     * {@code [fromSeq, toSeq)} lost: counts what was not known lost yet and logs each damage once.
     */
    private void recordLoss(Segment seg, long fromByte, long toByte, long fromSeq, long toSeq, String note) {
        long newlyLost = lost.add(fromSeq, toSeq);
        counters.droppedCorrupt.addAndGet(newlyLost);
        boolean firstReport = reportedDamage.add(seg.path + "@" + fromByte);
        if (newlyLost > 0 || firstReport) {
            LOG.log(Level.WARNING, "offline buffer: damaged bytes " + fromByte + ".." + toByte + " of "
                    + storage.describe(seg.path) + ": " + (fromSeq < toSeq
                    ? (toSeq - fromSeq) + " record(s) of priority " + priority + " lost, sequences " + fromSeq
                            + ".." + (toSeq - 1)
                    : "no record lost") + "; " + note);
        }
    }

    /** How many of the sequences {@code [from, to)} are known lost to damage. */
    long lostIn(long from, long to) {
        return lost.countIn(from, to);
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
        long end;
        // durableEnd is read before the segment's durableSize: every record below it lies within that size.
        // The segment map is looked up once per call and when the scanner changes segment, not per
        // record: segments are deleted only from the head, so while rp.seq is at or past the head
        // seen at the start of the call, the segment its scanner reads is still held.
        boolean headChecked = false;
        while (delivered < max && rp.seq < (end = durableEnd)) {
            Segment seg = rp.segment;
            if (!headChecked || seg == null || rp.scanner == null) {
                Map.Entry<Long, Segment> first = segments.firstEntry();
                if (first == null) {
                    break;
                }
                if (rp.seq < first.getKey()) {
                    rp.reset(first.getKey());
                }
                seg = segments.floorEntry(rp.seq).getValue();
                headChecked = true;
            }
            if (rp.segment != seg || rp.scanner == null) {
                rp.segment = seg;
                long hint = seg.index.floorEntry(rp.seq - seg.baseSeq);
                rp.scanner = new SegmentScanner(seg.file, SparseIndex.positionOf(hint), seg.durableSize,
                        seg.baseSeq + SparseIndex.relativeSequenceOf(hint) - 1, damageListener(seg), rp.spare);
                rp.spare = null;
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
                // The successor first, then the size: a segment is sealed at its final size before its
                // successor appears, so a reader that sees the successor sees every record of this one.
                Map.Entry<Long, Segment> next = segments.higherEntry(seg.baseSeq);
                if (rp.scanner.limit() < seg.durableSize) {
                    continue; // it grew meanwhile: read on
                }
                long segmentEnd = next == null ? end : next.getKey();
                long missingFrom = rp.scanner.lastSequence() + 1;
                if (missingFrom < segmentEnd && rp.seq < segmentEnd) {
                    // Durable records the scan did not find (damage, or bytes gone): destroyed.
                    long torn = rp.scanner.tornAt();
                    recordLoss(seg, torn >= 0 ? torn : rp.scanner.limit(), rp.scanner.limit(), missingFrom, segmentEnd,
                            "found when read; the records after them are kept");
                    rp.seq = segmentEnd;
                }
                if (next == null) {
                    break; // the scanner stays: records appended later are found after the damage
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
        stagedBytes += size;
        dirty = true;
        return seq;
    }

    private void flushStaged() throws IOException {
        staging.flip();
        int n = staging.remaining();
        active.file.write(staging, active.writeSize);
        active.writeSize += n;
        stagedBytes -= n;
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

    /**
     * Writer: after a failed write, forgets what the failed batch staged or wrote so the next write
     * overwrites it, and stops counting those bytes as held.
     */
    void rollback() {
        checkWriter();
        staging.clear();
        dirty = false;
        long staged = stagedBytes;
        stagedBytes = 0;
        if (active == null) {
            counters.bytesOnDisk.addAndGet(-staged);
            return;
        }
        counters.bytesOnDisk.addAndGet(committedSize - active.writeSize - staged);
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

    /**
     * Writer: seals the active segment (fsynced) and starts a new one named by the next sequence.
     * The new file is created before the old segment is sealed, so that a disk that refuses it
     * (full) leaves the band as it was: the batch fails and is rolled back, nothing is published.
     */
    void roll() throws IOException {
        checkWriter();
        if (readOnly) {
            throw new IllegalStateException("offline buffer: " + directory + " is open read-only");
        }
        if (active != null) {
            if (staging.position() > 0) {
                flushStaged();
            }
            if (active.writeSize > active.durableSize) {
                active.file.force();
                counters.fsyncs.incrementAndGet();
            }
        }
        storage.createDirectory(directory);
        String path = directory + "/" + Segment.fileName(nextSeq);
        StorageFile file = storage.open(path, true);
        try {
            file.truncate(0);
            storage.syncDirectory(directory);
            storage.syncDirectory("");
        } catch (IOException e) {
            file.close();
            try {
                storage.delete(path);
            } catch (IOException ignored) {
                // Empty; it is truncated and reused when the same sequence rolls again.
            }
            throw e;
        }
        if (active != null) {
            active.durableSize = active.writeSize;
            durableEnd = nextSeq;
            active.sealed = true;
        }
        committedSeq = nextSeq;
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

    /** Writer: the file appends go to, for messages. */
    String activeFile() {
        Segment seg = active;
        return seg == null ? storage.describe(directory) : storage.describe(seg.path);
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
        lost.forgetBefore(startSeq());
        return seg.durableSize;
    }

    /**
     * Writer: where the fsynced records end (the active segment's base, its fsynced size, the
     * sequence after its last fsynced record), for the recovery point and the clean-shutdown marker;
     * null if the band holds no segment.
     */
    RecoveryPoint.BandEnd end() {
        Segment seg = active;
        return seg == null ? null : new RecoveryPoint.BandEnd(priority, seg.baseSeq, seg.durableSize, durableEnd);
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
