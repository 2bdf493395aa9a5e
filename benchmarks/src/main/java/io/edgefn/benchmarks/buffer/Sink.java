package io.edgefn.benchmarks.buffer;

import java.util.concurrent.CompletableFuture;

/**
 * One contender's store as the producers see it: an append whose future completes when the record
 * may be acknowledged (for a durable contender: after an fsync that covers it), and what the store
 * did to get there. Implementations are thread-safe: eight producers append at once.
 */
interface Sink extends AutoCloseable {

    /** Appends one record; the future completes when it may be acknowledged, or fails. */
    CompletableFuture<?> append(byte[] record);

    /** The fsyncs (syncing commits) made so far; 0 for a contender that never syncs. */
    long syncs();

    /** The largest group of records one fsync covered since the last call, and starts counting anew. */
    long takeMaxGroup();

    /** The bytes the store's own files hold, when it tells (edgefn's segments); -1 otherwise. */
    default long storedBytes() {
        return -1;
    }

    /** Completes what is queued and closes the store. */
    @Override
    void close() throws Exception;
}
