package io.edgefn.buffer.internal;

import io.edgefn.buffer.BufferException;
import io.edgefn.buffer.BufferFullException;
import io.edgefn.buffer.BufferIOException;
import io.edgefn.buffer.Durability;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that writes the log: group commit.
 *
 * <p>Design. Producers enqueue {@link AppendRequest}s into an {@link AppendQueue} and get a future.
 * The writer takes every request waiting and, with the default commit window of 0, keeps taking
 * them while they keep arriving as {@link GroupSizer} says (the burst of appends that producers send
 * when their previous ones are acknowledged belongs in one fsync); with a non-zero window it waits
 * up to the window for more. It frames
 * them into each band's staging buffer, writes each band with one positional write, fsyncs each
 * written band once, publishes the records to readers, and only then completes the futures — outside
 * any lock. While it fsyncs, the next batch accumulates, so under load one fsync covers hundreds of
 * appends. Under {@link Durability#ASYNC} the futures complete after the write and the fsync happens
 * every commit window. A failed write (ENOSPC) fails only the appends of that batch and rolls the
 * files back to the last committed byte; a failed fsync leaves the page cache in an unknown state,
 * so the writer refuses every later append until the store is reopened (and recovered). Failed
 * writes are reported to {@link DiskHealth}, which logs them at most once a minute (a full disk
 * would otherwise log every append). Between batches it writes moved cursor checkpoints, and each
 * second it deletes segments no longer needed and updates the {@link RecoveryPoint}.
 *
 * <p>Threading: {@link #submit} and {@link #wake} from any thread; everything else on the writer thread.
 */
public final class LogWriter {
    private static final System.Logger LOG = System.getLogger(LogWriter.class.getName());
    private static final int MAX_BATCH = 8192;
    private static final int QUEUE_CAPACITY = 8192;
    private static final long HOUSEKEEPING_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LogStore store;
    private final AppendQueue queue = new AppendQueue(QUEUE_CAPACITY);
    private final Thread thread;
    private final boolean groupCommit;
    private final long windowNanos;
    private volatile boolean closing;
    private volatile boolean terminated;
    private volatile BufferException fatal;
    private long lastForce = System.nanoTime();
    private long lastHousekeeping = System.nanoTime();
    /** Writer: how long a group gathers (group commit without a window). */
    private final GroupSizer sizer = new GroupSizer();

    /** Creates the writer of {@code store}; {@link #start()} starts its thread. */
    public LogWriter(LogStore store, ThreadFactory threads) {
        this.store = store;
        this.groupCommit = store.options().durability() == Durability.GROUP_COMMIT;
        this.windowNanos = store.options().commitWindow().toNanos();
        this.thread = threads.newThread(this::run);
        queue.consumer(thread);
        store.attach(this, thread);
    }

    /** Starts the writer thread. */
    public void start() {
        thread.start();
    }

    /** Queues an append (blocking while the queue is full: back-pressure); the future completes per the durability mode. */
    public CompletableFuture<Long> submit(byte[] payload, int priority, long enqueuedAt, long expiresAt) {
        return submit(payload, priority, enqueuedAt, expiresAt, true);
    }

    /**
     * Queues an append without waiting: {@code null} when the queue is full (the caller may not
     * block, e.g. an event loop), else as {@link #submit(byte[], int, long, long)}.
     */
    public CompletableFuture<Long> trySubmit(byte[] payload, int priority, long enqueuedAt, long expiresAt) {
        return submit(payload, priority, enqueuedAt, expiresAt, false);
    }

    /** Appends waiting for the writer: how many a producer finds ahead of it. */
    public int backlog() {
        return queue.size();
    }

    /** The most appends that wait for the writer before a producer waits (or is refused). */
    public static int capacity() {
        return QUEUE_CAPACITY;
    }

    private CompletableFuture<Long> submit(byte[] payload, int priority, long enqueuedAt, long expiresAt, boolean wait) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        BufferException failed = fatal;
        if (failed != null) {
            future.completeExceptionally(failed);
            return future;
        }
        if (closing) {
            future.completeExceptionally(new BufferException("offline buffer is closed: append refused"));
            return future;
        }
        AppendRequest request = new AppendRequest(payload, priority, enqueuedAt, expiresAt, future);
        if (!wait) {
            if (!queue.offer(request)) {
                return null;
            }
        } else {
            try {
                queue.put(request);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                future.completeExceptionally(new BufferException("interrupted while waiting for room in the append queue", e));
            }
        }
        if (terminated) {
            // The writer stopped after our check of closing: nobody else will complete what is queued.
            failQueued();
        }
        return future;
    }

    /** Fails every append still queued: the writer is gone. */
    private void failQueued() {
        List<AppendRequest> left = new ArrayList<>();
        queue.drainTo(left, Integer.MAX_VALUE);
        for (AppendRequest r : left) {
            if (r.future != null) {
                r.future.completeExceptionally(new BufferException("offline buffer is closed: append refused"));
            }
        }
    }

    /** Wakes the writer (a checkpoint is due). */
    void wake() {
        queue.offer(AppendRequest.WAKE);
    }

    /** Throws if called on the writer thread (from an append's completion callback), where closing would wait for itself. */
    public void checkNotWriterThread() {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("offline buffer: close() called from an append's completion callback, "
                    + "which runs on the writer thread and would wait for itself; close from another thread");
        }
    }

    /** Finishes the queued appends, flushes, writes checkpoints and the clean-shutdown marker, and stops. */
    public void close() throws InterruptedException {
        checkNotWriterThread();
        closing = true;
        while (true) {
            try {
                queue.put(AppendRequest.CLOSE);
                break;
            } catch (InterruptedException e) {
                thread.join();
                throw e;
            }
        }
        thread.join();
    }

    private void run() {
        List<AppendRequest> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            batch.clear();
            try {
                stop = collect(batch);
            } catch (InterruptedException e) {
                LOG.log(Level.WARNING, "offline buffer writer interrupted; finishing");
                stop = true;
            }
            boolean wrote;
            try {
                wrote = process(batch, stop);
            } catch (RuntimeException | Error bug) {
                // Never leave a producer waiting: fail this batch and every later append.
                fatal = new BufferException("offline buffer: the writer failed unexpectedly; appends are refused "
                        + "until the store is reopened (records acknowledged before are on disk)", bug);
                LOG.log(Level.ERROR, fatal.getMessage(), bug);
                for (AppendRequest r : batch) {
                    if (r.future != null) {
                        r.future.completeExceptionally(fatal);
                    }
                }
                wrote = false;
            }
            if (wrote) {
                store.signalNewData();
            }
            try {
                store.flushCheckpoints(stop);
                long now = System.nanoTime();
                if (now - lastHousekeeping > HOUSEKEEPING_NANOS) {
                    lastHousekeeping = now;
                    store.reclaim();
                    store.writeRecoveryPoint();
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "offline buffer: housekeeping failed; will retry", e);
            }
        }
        try {
            if (fatal == null) {
                store.writeCleanShutdownMarker();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "offline buffer: could not write the clean-shutdown marker; next open recovers fully", e);
        }
        store.closeFiles();
        terminated = true;
        failQueued();
    }

    /** Takes the next batch; true if the close sentinel was seen. */
    private boolean collect(List<AppendRequest> batch) throws InterruptedException {
        long timeout = groupCommit ? HOUSEKEEPING_NANOS : Math.max(windowNanos, 100_000);
        AppendRequest first = queue.poll(timeout);
        if (first == null) {
            return false;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH);
        if (groupCommit && windowNanos == 0 && first != AppendRequest.CLOSE) {
            gather(batch);
        } else if (groupCommit && windowNanos > 0 && first != AppendRequest.CLOSE) {
            long deadline = System.nanoTime() + windowNanos;
            long left;
            while (batch.size() < MAX_BATCH && !batch.contains(AppendRequest.CLOSE)
                    && (left = deadline - System.nanoTime()) > 0) {
                AppendRequest more = queue.poll(left);
                if (more == null) {
                    break;
                }
                batch.add(more);
                queue.drainTo(batch, MAX_BATCH - batch.size());
            }
        }
        return batch.contains(AppendRequest.CLOSE);
    }

    /**
     * Keeps taking appends into {@code batch} while they keep arriving, as {@link GroupSizer} says:
     * the acknowledged producers' next appends arrive in a burst, and one fsync should cover it all.
     */
    private void gather(List<AppendRequest> batch) throws InterruptedException {
        long start = System.nanoTime();
        int appends = countAppends(batch);
        if (batch.contains(AppendRequest.CLOSE)) {
            return;
        }
        while (batch.size() < MAX_BATCH) {
            long wait = sizer.waitNanos(appends, System.nanoTime() - start);
            if (wait <= 0) {
                return;
            }
            if (!queue.awaitMore(wait)) {
                return;
            }
            int from = batch.size();
            queue.drainTo(batch, MAX_BATCH - batch.size());
            appends += countAppends(batch.subList(from, batch.size()));
            if (batch.subList(from, batch.size()).contains(AppendRequest.CLOSE)) {
                return;
            }
        }
    }

    private static int countAppends(List<AppendRequest> requests) {
        int n = 0;
        for (AppendRequest r : requests) {
            if (r.future != null) {
                n++;
            }
        }
        return n;
    }

    /** Writes, fsyncs and completes one batch; true if records became visible to readers. */
    private boolean process(List<AppendRequest> batch, boolean closingNow) {
        List<AppendRequest> appends = new ArrayList<>(batch.size());
        for (AppendRequest r : batch) {
            if (r.future != null) {
                appends.add(r);
            }
        }
        IOException failure = null;
        String failedAt = "";
        if (fatal != null) {
            for (AppendRequest r : appends) {
                r.future.completeExceptionally(fatal);
            }
            return false;
        }
        boolean[] touched = new boolean[LogStore.BANDS];
        for (AppendRequest r : appends) {
            if (failure != null) {
                break;
            }
            try {
                int size = RecordFormat.framedSize(r.payload.length);
                if (!store.makeRoom(size)) {
                    store.counters().rejectedFull.incrementAndGet();
                    r.failure = new BufferFullException(store.counters().bytesOnDisk.get(), store.options().maxBytes(), size);
                    continue;
                }
                touched[r.priority] = true;
                r.seq = store.band(r.priority).stage(r.payload, r.enqueuedAt, r.expiresAt);
            } catch (IOException e) {
                failure = e;
                failedAt = "writing priority " + r.priority + " to " + store.band(r.priority).activeFile();
            }
        }
        boolean force = groupCommit || closingNow || System.nanoTime() - lastForce >= windowNanos;
        boolean published = false;
        long forceStart = System.nanoTime();
        for (int b = 0; b < LogStore.BANDS; b++) {
            BandLog band = store.band(b);
            if (failure != null && touched[b]) {
                band.rollback();
                continue;
            }
            try {
                band.write();
            } catch (IOException e) {
                failure = e;
                failedAt = "writing priority " + b + " to " + band.activeFile();
                band.rollback();
                continue;
            }
            if (force && (touched[b] || band.unforced())) {
                try {
                    band.force();
                    published = true;
                } catch (IOException e) {
                    fatal = new BufferIOException("offline buffer: fsync of priority " + b + " failed; appends are "
                            + "refused until the store is reopened (records acknowledged before are on disk)", e);
                    LOG.log(Level.ERROR, fatal.getMessage(), e);
                    failure = e;
                    failedAt = "fsync of priority " + b;
                }
            }
        }
        if (force) {
            lastForce = System.nanoTime();
            if (published && failure == null) {
                sizer.committed(appends.size(), lastForce - forceStart);
            }
        }
        // Before the futures complete, so that whoever sees an append fail or succeed sees the stats say so.
        if (failure != null) {
            int refused = 0;
            for (AppendRequest r : appends) {
                refused += r.failure == null && !stored(r, failure) ? 1 : 0;
            }
            store.disk().failed(failedAt, failure, refused);
        } else if (anyStored(appends)) {
            store.disk().succeeded();
        }
        complete(appends, failure, failedAt);
        return published;
    }

    private static boolean anyStored(List<AppendRequest> appends) {
        for (AppendRequest r : appends) {
            if (r.seq >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code r} was written by this batch (despite {@code failure}, if an earlier part of it was committed). */
    private boolean stored(AppendRequest r, IOException failure) {
        return r.seq >= 0 && (failure == null || r.seq < committedEnd(r.priority));
    }

    private void complete(List<AppendRequest> appends, IOException failure, String failedAt) {
        // Counted before any future completes, so that whoever sees an append succeed sees the stats say so.
        long stored = 0;
        for (AppendRequest r : appends) {
            stored += r.failure == null && stored(r, failure) ? 1 : 0;
        }
        store.counters().appends.addAndGet(stored);
        for (AppendRequest r : appends) {
            if (r.failure != null) {
                r.future.completeExceptionally(r.failure);
            } else if (stored(r, failure)) {
                r.future.complete(io.edgefn.buffer.BufferedRecord.offsetOf(r.priority, r.seq));
            } else {
                r.future.completeExceptionally(failure == null
                        ? new BufferException("offline buffer: append not written")
                        : new BufferIOException("offline buffer: " + failedAt + " failed, append not stored", failure));
            }
        }
    }

    private long committedEnd(int priority) {
        return groupCommit ? store.band(priority).durableEnd() : store.band(priority).committedSeq();
    }
}
