package io.edgefn.buffer.internal;

import java.util.concurrent.CompletableFuture;

/** One append waiting for the writer thread. Immutable but for the fields the writer fills in. */
final class AppendRequest {
    /** Wakes the writer without an append (a checkpoint is due). */
    static final AppendRequest WAKE = new AppendRequest(null, 0, 0, 0, null);
    /** Tells the writer to finish the queue and stop. */
    static final AppendRequest CLOSE = new AppendRequest(null, 0, 0, 0, null);

    final byte[] payload;
    final int priority;
    final long enqueuedAt;
    final long expiresAt;
    final CompletableFuture<Long> future;
    /** Writer: the sequence assigned, -1 until staged. */
    long seq = -1;
    /** Writer: why it failed, null if it did not. */
    RuntimeException failure;

    AppendRequest(byte[] payload, int priority, long enqueuedAt, long expiresAt, CompletableFuture<Long> future) {
        this.payload = payload;
        this.priority = priority;
        this.enqueuedAt = enqueuedAt;
        this.expiresAt = expiresAt;
        this.future = future;
    }
}
