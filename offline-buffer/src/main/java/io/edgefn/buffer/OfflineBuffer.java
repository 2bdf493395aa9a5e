package io.edgefn.buffer;

import io.edgefn.buffer.internal.DiskStorage;
import io.edgefn.buffer.internal.LogStore;
import io.edgefn.buffer.internal.LogWriter;
import io.edgefn.buffer.internal.RecordFormat;
import io.edgefn.buffer.internal.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A durable store-and-forward log: what is appended survives crashes and power cuts until every
 * cursor has acknowledged it (or it expires, or {@link FullPolicy#DROP_OLDEST} drops it, both counted).
 *
 * <p>Durability contract: under {@link Durability#GROUP_COMMIT} (the default) an append's future
 * completes only after the fsync that covers the record, so a completed append survives a crash or
 * a power cut and is delivered to every cursor at least once. A damaged file loses only the damaged
 * records: recovery cuts a torn tail, skips and counts corrupt records, and never deletes or rewrites
 * a store because something is wrong with it.
 *
 * <p>Layout of the directory: {@code p0} … {@code p10}, one segmented log per priority (segment files
 * named by the sequence of their first record, every record framed with its length and a CRC32C);
 * {@code cursors/<name>.cursor} checkpoints; {@code clean-shutdown} while closed cleanly.
 *
 * <p>{@link #openReadOnly} opens a store for looking only — stats and peeks — without changing a
 * byte of it, even while another process writes it.
 *
 * <p>Threading: thread-safe. Appends are written by one writer thread (group commit); futures are
 * completed on that thread, so callers must not block in their callbacks.
 */
public final class OfflineBuffer implements AutoCloseable {
    /** The priority band after 0..9 for routes that give none. */
    public static final int DEFAULT_PRIORITY = 10;

    private final LogStore store;
    /** The writer; null when opened read-only. */
    private final LogWriter writer;
    private final Object closeLock = new Object();
    private boolean closed;

    private OfflineBuffer(LogStore store) {
        this.store = store;
        if (store.readOnly()) {
            this.writer = null;
            return;
        }
        this.writer = new LogWriter(store, r -> {
            Thread t = new Thread(r, "edgefn-buffer-writer");
            t.setDaemon(true);
            return t;
        });
        writer.start();
    }

    /**
     * Opens the buffer in {@code directory} (created if missing), recovering after a crash: each
     * priority's last segment is validated record by record. Damage at its end past the last fsync
     * is a torn tail and is cut; damaged records that were fsynced, or that intact records follow,
     * are counted as lost ({@link BufferStats#droppedCorrupt()}, logged with the file and byte range)
     * and skipped, and every intact record after them is kept. Damage in older segments is found the
     * same way when read.
     *
     * @throws IOException if the directory cannot be read or written
     */
    public static OfflineBuffer open(Path directory, BufferOptions options) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(options, "options");
        return open(new DiskStorage(directory), options);
    }

    /** Opens the buffer on another file layer (a power-loss simulation in tests). */
    static OfflineBuffer open(Storage storage, BufferOptions options) throws IOException {
        return new OfflineBuffer(LogStore.open(storage, options));
    }

    /**
     * Opens the buffer in {@code directory} for looking only: {@link #stats()} and {@link #peek}
     * report what recovery would find (a torn tail is left unread, damaged records are counted), but
     * nothing is written — no truncation, no checkpoint, no marker change, no writer thread; the
     * files are opened for reading. It may be used while a host writes the store; what it shows is
     * then a snapshot of what the files held when it opened (a record the host was still writing
     * may show, or be left out as a torn tail). Appends and cursors are refused.
     *
     * @throws java.nio.file.NoSuchFileException if {@code directory} does not exist
     * @throws IOException if the directory cannot be read
     */
    public static OfflineBuffer openReadOnly(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        return openReadOnly(DiskStorage.readOnly(directory), BufferOptions.defaults());
    }

    /** Opens the buffer read-only on another file layer (tests). */
    static OfflineBuffer openReadOnly(Storage storage, BufferOptions options) throws IOException {
        return new OfflineBuffer(LogStore.openReadOnly(storage, options));
    }

    private void checkWritable(String what) {
        if (writer == null) {
            throw new UnsupportedOperationException("offline buffer opened read-only: " + what
                    + " refused (open it with OfflineBuffer.open to change it)");
        }
    }

    /**
     * Appends a record. The future completes with the record's offset after the fsync that covers it
     * (group commit) — only then may the producer be acknowledged — or exceptionally with
     * {@link BufferFullException} (full, reject-new) or {@link BufferIOException} (the disk refused the
     * write, e.g. ENOSPC); records accepted earlier are unaffected. Blocks only when 8,192 appends
     * already wait for the writer.
     *
     * @param payload         the bytes to store (not copied: do not change them until the future completes)
     * @param priority        0 (highest) to 9, or {@link #DEFAULT_PRIORITY}
     * @param expiresAtMillis epoch millis after which the record is skipped, 0 for never
     * @throws IllegalArgumentException if an argument is invalid (named in the message)
     */
    public CompletableFuture<Long> append(byte[] payload, int priority, long expiresAtMillis) {
        checkWritable("append");
        checkAppend(payload, priority, expiresAtMillis);
        return writer.submit(payload, priority, store.options().clock().millis(), expiresAtMillis);
    }

    /**
     * As {@link #append}, but never blocks: {@code null} when 8,192 appends already wait for the
     * writer, so that a caller that must not wait (an event loop) can refuse and push back instead.
     */
    public CompletableFuture<Long> tryAppend(byte[] payload, int priority, long expiresAtMillis) {
        checkWritable("append");
        checkAppend(payload, priority, expiresAtMillis);
        return writer.trySubmit(payload, priority, store.options().clock().millis(), expiresAtMillis);
    }

    /** Whether appends pile up before the writer: more than three quarters of its queue wait. */
    public boolean congested() {
        return writer != null && writer.backlog() > LogWriter.capacity() * 3 / 4;
    }

    private static void checkAppend(byte[] payload, int priority, long expiresAtMillis) {
        if (payload == null) {
            throw new IllegalArgumentException("append: payload must not be null");
        }
        if (payload.length > RecordFormat.MAX_PAYLOAD) {
            throw new IllegalArgumentException("append: payload of " + payload.length + " bytes exceeds the limit of "
                    + RecordFormat.MAX_PAYLOAD + " bytes");
        }
        if (priority < 0 || priority > DEFAULT_PRIORITY) {
            throw new IllegalArgumentException("append: priority must be 0..9 or DEFAULT_PRIORITY (10), was " + priority);
        }
        if (expiresAtMillis < 0) {
            throw new IllegalArgumentException("append: expiresAtMillis must be 0 (never) or epoch millis, was " + expiresAtMillis);
        }
    }

    /**
     * The cursor named {@code name}: created at the oldest record held if new, else resumed at its
     * durable position. The same name always gives the same cursor.
     *
     * @throws IllegalArgumentException if the name is blank or longer than 200 characters
     * @throws UnsupportedOperationException if the buffer was opened read-only (use {@link #peek})
     */
    public Cursor cursor(String name) {
        checkWritable("cursor('" + name + "')");
        return store.cursor(name);
    }

    /**
     * The first {@code max} records the named cursor has not acknowledged (in flight or not), highest
     * priority first and in append order within a priority, without changing the cursor. Works on a
     * buffer opened read-only.
     *
     * @throws IllegalArgumentException if there is no such cursor (the message lists those there are)
     *     or {@code max} is not positive
     */
    public List<BufferedRecord> peek(String cursor, int max) {
        try {
            return store.peek(cursor, max);
        } catch (IOException e) {
            throw new BufferIOException("offline buffer: reading the log for a peek of cursor '" + cursor + "'", e);
        }
    }

    /**
     * Removes the named cursor, so that it no longer holds segments back; its checkpoint file is
     * deleted by the writer shortly after (a crash before that brings the cursor back). Returns false
     * if there was no such cursor. The removed {@link Cursor} must not be used any more.
     */
    public boolean removeCursor(String name) {
        checkWritable("removeCursor('" + name + "')");
        return store.removeCursor(name);
    }

    /** A snapshot of the metrics: depth and oldest age per cursor and priority, bytes, appends, fsyncs, drops. */
    public BufferStats stats() {
        try {
            return store.stats();
        } catch (IOException e) {
            throw new BufferIOException("offline buffer: reading the log for stats", e);
        }
    }

    /**
     * Completes the appends already queued, fsyncs, writes the cursor checkpoints, the recovery point
     * and the clean-shutdown marker, and closes the files (read-only: only closes them). Later appends
     * fail. Idempotent.
     *
     * @throws IllegalStateException if called from an append's completion callback (the writer thread)
     */
    @Override
    public void close() {
        if (writer == null) {
            synchronized (closeLock) {
                if (!closed) {
                    closed = true;
                    store.closeFiles();
                }
            }
            return;
        }
        writer.checkNotWriterThread();
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            writer.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
