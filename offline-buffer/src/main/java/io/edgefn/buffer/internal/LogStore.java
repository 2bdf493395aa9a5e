package io.edgefn.buffer.internal;

import io.edgefn.buffer.BufferOptions;
import io.edgefn.buffer.BufferStats;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.buffer.Cursor;
import io.edgefn.buffer.FullPolicy;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state of an open buffer: the eleven priority bands, the cursors, the counters, and the rules
 * for deleting segments (consumed by every cursor, wholly expired, or dropped when full).
 *
 * <p>Threading: cursors and stats may be used from any thread; methods marked "writer" run only on
 * the {@link LogWriter} thread, which alone changes the files.
 */
public final class LogStore {
    /** Priorities 0..9 and the default band 10. */
    public static final int BANDS = 11;
    private static final System.Logger LOG = System.getLogger(LogStore.class.getName());

    private final Storage storage;
    private final BufferOptions options;
    private final boolean readOnly;
    private final Counters counters = new Counters();
    private final DiskHealth disk;
    private final BandLog[] bands = new BandLog[BANDS];
    private final Map<String, DurableCursor> cursors = new ConcurrentHashMap<>();
    private final ReentrantLock dataLock = new ReentrantLock();
    private final Condition newData = dataLock.newCondition();
    private volatile long dataVersion;
    private volatile boolean checkpointRequested;
    private final java.util.Queue<String> removedCursors = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile LogWriter writer;
    /** Writer: the band ends last written to the recovery point. */
    private List<RecoveryPoint.BandEnd> recoveryPoint = List.of();

    private LogStore(Storage storage, BufferOptions options, boolean readOnly) {
        this.storage = storage;
        this.options = options;
        this.readOnly = readOnly;
        this.disk = new DiskHealth(options.clock(), counters.failedAppends);
    }

    /**
     * Opens (recovering if needed) the store on {@code storage}. Nothing is deleted or rewritten
     * because it is damaged: a torn tail past the last fsync is cut; damaged fsynced records are
     * counted as lost and skipped, and the records after them kept.
     */
    public static LogStore open(Storage storage, BufferOptions options) throws IOException {
        LogStore store = recover(storage, options, false);
        if (store.writeRecoveryPoint()) {
            // Its ends are in the recovery point now. (If that could not be written, the marker stays:
            // it only ever says what was fsynced, which stays true.)
            CleanShutdownMarker.remove(storage);
        }
        storage.createDirectory(DurableCursor.DIRECTORY);
        storage.syncDirectory("");
        return store;
    }

    /**
     * Opens the store on {@code storage} without changing anything in it: recovery is computed, not
     * applied (a torn tail is left unread rather than cut, no segment is started, no marker removed),
     * and no writer ever runs. For stats and peeks of a store another process may be writing.
     */
    public static LogStore openReadOnly(Storage storage, BufferOptions options) throws IOException {
        return recover(storage, options, true);
    }

    /**
     * Recovery: what the store durably knows about how far each band was fsynced — the clean-shutdown
     * marker, the recovery point, and the cursor checkpoints (a cursor acknowledges only records it
     * read, and readers see only fsynced records) — then each band's last segment checked against it.
     */
    private static LogStore recover(Storage storage, BufferOptions options, boolean readOnly) throws IOException {
        LogStore store = new LogStore(storage, options, readOnly);
        long[] fsyncedEnd = new long[BANDS];
        Map<Integer, RecoveryPoint.BandEnd> lastRecoveryPoint = RecoveryPoint.read(storage);
        store.recoveryPoint = new java.util.TreeMap<>(lastRecoveryPoint).values().stream().toList();
        for (Map<Integer, RecoveryPoint.BandEnd> known : List.of(CleanShutdownMarker.read(storage), lastRecoveryPoint)) {
            known.values().forEach(e -> fsyncedEnd[e.priority()] = Math.max(fsyncedEnd[e.priority()], e.nextSeq()));
        }
        Map<String, long[]> checkpoints = new java.util.TreeMap<>();
        for (String file : storage.list(DurableCursor.DIRECTORY)) {
            String name = DurableCursor.nameOf(file);
            if (name == null) {
                continue;
            }
            long[] positions = new long[BANDS];
            try {
                byte[] content = CheckpointFile.read(storage, DurableCursor.pathOf(name));
                if (content == null) {
                    continue; // removed since it was listed (a host runs on the directory)
                }
                positions = DurableCursor.decode(content, storage.describe(DurableCursor.pathOf(name)));
            } catch (IOException | RuntimeException damaged) {
                LOG.log(Level.WARNING, "offline buffer: cursor '" + name + "' checkpoint unreadable, it restarts from "
                        + "the oldest record (duplicates, no loss): " + damaged.getMessage());
            }
            checkpoints.put(name, positions);
            for (int b = 0; b < BANDS; b++) {
                fsyncedEnd[b] = Math.max(fsyncedEnd[b], positions[b]);
            }
        }
        for (int b = 0; b < BANDS; b++) {
            store.bands[b] = BandLog.open(b, storage, store.counters, options.segmentBytes(), fsyncedEnd[b], readOnly);
        }
        checkpoints.forEach((name, positions) -> store.cursors.put(name, new DurableCursor(name, store, positions)));
        return store;
    }

    /** Binds the writer that checkpoints cursors; from now on only {@code thread} may change the bands. */
    void attach(LogWriter writer, Thread thread) {
        this.writer = writer;
        for (BandLog band : bands) {
            band.ownedBy(thread);
        }
    }

    /** The options the store was opened with. */
    public BufferOptions options() {
        return options;
    }

    /** The counters. */
    public Counters counters() {
        return counters;
    }

    /** What the disk refused lately. */
    DiskHealth disk() {
        return disk;
    }

    /** Whether the store was opened read-only. */
    public boolean readOnly() {
        return readOnly;
    }

    BandLog band(int priority) {
        return bands[priority];
    }

    long nowMillis() {
        return options.clock().millis();
    }

    /** The named cursor, created (at the oldest record) if new. */
    public Cursor cursor(String name) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("cursor name must be 1 to 200 characters and not blank, was "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        boolean[] created = new boolean[1];
        DurableCursor cursor = cursors.computeIfAbsent(name, n -> {
            DurableCursor c = new DurableCursor(n, this, new long[BANDS]);
            c.markDirty();
            created[0] = true;
            return c;
        });
        if (created[0]) {
            // Only once the cursor is in the map: a request the writer took before that would find
            // no dirty cursor, and the new cursor's file would wait for its first ack or the close.
            requestCheckpoint();
        }
        return cursor;
    }

    /** Forgets the named cursor; its checkpoint file is deleted by the writer soon after. False if there was none. */
    public boolean removeCursor(String name) {
        DurableCursor removed = cursors.remove(name);
        if (removed == null) {
            return false;
        }
        removedCursors.add(removed.path());
        checkpointRequested = true;
        LogWriter w = writer;
        if (w != null) {
            w.wake();
        }
        return true;
    }

    /** Asks the writer to write dirty cursor checkpoints soon. */
    void requestCheckpoint() {
        if (!checkpointRequested) {
            checkpointRequested = true;
            LogWriter w = writer;
            if (w != null) {
                w.wake();
            }
        }
    }

    /** Writer: writes the checkpoint of every cursor whose position moved. */
    void flushCheckpoints(boolean all) {
        if (!checkpointRequested && !all) {
            return;
        }
        checkpointRequested = false;
        for (DurableCursor c : cursors.values()) {
            byte[] content = all ? c.checkpoint() : c.checkpointIfDirty();
            if (content == null) {
                continue;
            }
            boolean ok = false;
            try {
                CheckpointFile.write(storage, DurableCursor.DIRECTORY, c.path(), content);
                ok = true;
            } catch (IOException e) {
                disk.failed("writing the checkpoint of cursor '" + c.name() + "' to " + storage.describe(c.path())
                        + " (will retry)", e, 0);
            } finally {
                c.checkpointed(content, ok);
            }
        }
        String removed;
        while ((removed = removedCursors.poll()) != null) {
            try {
                storage.delete(removed);
                storage.syncDirectory(DurableCursor.DIRECTORY);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "offline buffer: deleting the removed cursor file " + storage.describe(removed)
                        + " failed; the cursor will reappear after a restart", e);
            }
        }
    }

    long dataVersion() {
        return dataVersion;
    }

    /** Writer: wakes readers waiting for records. */
    void signalNewData() {
        dataLock.lock();
        try {
            dataVersion++;
            newData.signalAll();
        } finally {
            dataLock.unlock();
        }
    }

    /** Waits up to {@code nanos} for new data after {@code version}. */
    void awaitNewData(long version, long nanos) throws InterruptedException {
        dataLock.lock();
        try {
            if (dataVersion == version) {
                newData.await(nanos, TimeUnit.NANOSECONDS);
            }
        } finally {
            dataLock.unlock();
        }
    }

    /**
     * Writer: makes room for {@code size} more bytes: first deletes consumed or expired segments, then,
     * under drop-oldest, whole segments of the lowest priority. False if it still does not fit.
     */
    boolean makeRoom(int size) throws IOException {
        long max = options.maxBytes();
        if (counters.bytesOnDisk.get() + size <= max) {
            return true;
        }
        // Acknowledgements may not be checkpointed yet: make them durable so their segments can go.
        flushCheckpoints(false);
        reclaim();
        if (options.fullPolicy() == FullPolicy.DROP_OLDEST) {
            while (counters.bytesOnDisk.get() + size > max) {
                if (!dropOldest()) {
                    break;
                }
            }
        }
        return counters.bytesOnDisk.get() + size <= max;
    }

    private boolean dropOldest() throws IOException {
        for (int b = BANDS - 1; b >= 0; b--) {
            BandLog band = bands[b];
            Segment head = band.head();
            if (head == null || head.writeSize == 0) {
                continue;
            }
            if (band.isActive(head)) {
                if (band.dirty()) {
                    continue;
                }
                band.roll();
            }
            long from = head.baseSeq;
            long to = band.endOf(head);
            long dropped = countUnconsumed(b, from, to);
            band.deleteHead();
            counters.droppedFull.addAndGet(dropped);
            LOG.log(Level.WARNING, "offline buffer full (maxBytes " + options.maxBytes() + "): dropped " + dropped
                    + " record(s) of priority " + b + ", sequences " + from + ".." + (to - 1) + " (fullPolicy DROP_OLDEST)");
            return true;
        }
        return false;
    }

    private long countUnconsumed(int b, long from, long to) {
        if (cursors.isEmpty()) {
            return to - from;
        }
        long n = 0;
        for (DurableCursor c : cursors.values()) {
            n += c.unconsumedIn(b, from, to);
        }
        return n;
    }

    /** Writer: deletes the oldest segments that every cursor has durably consumed, or whose records all expired. */
    void reclaim() throws IOException {
        long now = nowMillis();
        for (int b = 0; b < BANDS; b++) {
            BandLog band = bands[b];
            while (true) {
                Segment head = band.head();
                if (head == null || band.isActive(head)) {
                    break;
                }
                long to = band.endOf(head);
                boolean consumed = !cursors.isEmpty();
                for (DurableCursor c : cursors.values()) {
                    consumed &= c.checkpointedPosition(b) >= to;
                }
                boolean expired = head.maxExpiresAt < now;
                if (!consumed && !expired) {
                    break;
                }
                if (!consumed) {
                    counters.droppedTtl.addAndGet(countUnconsumed(b, head.baseSeq, to));
                }
                band.deleteHead();
            }
        }
    }

    /** Every band's fsynced end, in priority order. */
    private List<RecoveryPoint.BandEnd> bandEnds() {
        List<RecoveryPoint.BandEnd> ends = new ArrayList<>();
        for (BandLog band : bands) {
            RecoveryPoint.BandEnd end = band.end();
            if (end != null) {
                ends.add(end);
            }
        }
        return ends;
    }

    /**
     * Writer (or open, before the writer runs): writes the {@link RecoveryPoint} if a band's fsynced
     * end moved since it was last written. True if it is up to date; a failure is reported to
     * {@link DiskHealth} (at most once a minute) and retried next time.
     */
    boolean writeRecoveryPoint() {
        List<RecoveryPoint.BandEnd> ends = bandEnds();
        if (ends.equals(recoveryPoint)) {
            return true;
        }
        try {
            RecoveryPoint.write(storage, ends);
            recoveryPoint = ends;
            return true;
        } catch (IOException e) {
            disk.failed("writing the recovery point " + storage.describe(RecoveryPoint.FILE), e, 0);
            return false;
        }
    }

    /** Writer, at a clean close: the recovery point, then the clean-shutdown marker. */
    void writeCleanShutdownMarker() throws IOException {
        writeRecoveryPoint();
        CleanShutdownMarker.write(storage, bandEnds());
    }

    /** A snapshot of the metrics. */
    public BufferStats stats() throws IOException {
        long now = nowMillis();
        List<BufferStats.CursorStats> list = new ArrayList<>();
        for (DurableCursor c : cursors.values()) {
            list.add(c.stats(now));
        }
        list.sort((x, y) -> x.name().compareTo(y.name()));
        return new BufferStats(counters.bytesOnDisk.get(), counters.appends.get(), counters.fsyncs.get(),
                counters.droppedTtl.get(), counters.droppedFull.get(), counters.rejectedFull.get(),
                counters.droppedCorrupt.get(), counters.failedAppends.get(), disk.full(), disk.lastError(), list);
    }

    /**
     * The first {@code max} records the named cursor has not acknowledged, highest priority first,
     * without changing the cursor.
     *
     * @throws IllegalArgumentException if there is no such cursor (the message lists those there are)
     */
    public List<BufferedRecord> peek(String cursor, int max) throws IOException {
        if (max <= 0) {
            throw new IllegalArgumentException("peek: max must be positive, was " + max);
        }
        DurableCursor c = cursors.get(cursor);
        if (c == null) {
            throw new IllegalArgumentException("no cursor named '" + cursor + "' in " + storage.describe("")
                    + "; its cursors: " + new java.util.TreeSet<>(cursors.keySet()));
        }
        return c.peek(max);
    }

    /** Closes the segment files (after the writer stopped, or of a read-only store). */
    public void closeFiles() {
        for (BandLog band : bands) {
            band.close();
        }
    }
}
