package io.edgefn.buffer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

/**
 * One append waiting for the writer thread, and its own link in the {@link AppendQueue} (no node
 * allocated per append). Immutable but for the link and the fields the writer fills in. Each
 * instance is queued at most once, so the wake and close markers are fresh instances too.
 */
final class AppendRequest {
    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(AppendRequest.class, "next", AppendRequest.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final byte[] payload;
    final int priority;
    final long enqueuedAt;
    final long expiresAt;
    final CompletableFuture<Long> future;
    /** Writer: the sequence assigned, -1 until staged. */
    long seq = -1;
    /** Writer: why it failed, null if it did not. */
    RuntimeException failure;
    /** The close marker: the writer finishes the queue and stops. */
    final boolean close;
    /** AppendQueue: the request queued after this one; written once by the producer that queued it. */
    @SuppressWarnings("unused")
    private AppendRequest next;

    AppendRequest(byte[] payload, int priority, long enqueuedAt, long expiresAt, CompletableFuture<Long> future) {
        this.payload = payload;
        this.priority = priority;
        this.enqueuedAt = enqueuedAt;
        this.expiresAt = expiresAt;
        this.future = future;
        this.close = false;
    }

    private AppendRequest(boolean close) {
        this.payload = null;
        this.priority = 0;
        this.enqueuedAt = 0;
        this.expiresAt = 0;
        this.future = null;
        this.close = close;
    }

    /** A marker that wakes the writer without an append (a checkpoint is due). */
    static AppendRequest wake() {
        return new AppendRequest(false);
    }

    /** A marker that tells the writer to finish the queue and stop. */
    static AppendRequest close() {
        return new AppendRequest(true);
    }

    /**
     * Links {@code r} after this request. A volatile write, not a release: the producer reads the
     * consumer's idle flag next, and a consumer that set it must find the link or be unparked.
     */
    void link(AppendRequest r) {
        NEXT.setVolatile(this, r);
    }

    /** The request linked after this one, or null if none is linked yet. */
    AppendRequest next() {
        return (AppendRequest) NEXT.getAcquire(this);
    }
}
