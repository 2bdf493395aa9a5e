package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import io.edgefn.buffer.OfflineBuffer;
import io.edgefn.routes.RouteSpec;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;

/**
 * How a routed message is stored in an offline buffer, the same for {@code $upstream} and for
 * durable function inputs: the route's priority (0–9; edgeHub's default band becomes the
 * buffer's {@link OfflineBuffer#DEFAULT_PRIORITY}) and its time to live as an absolute expiry.
 */
final class BufferedMessages {

    private BufferedMessages() {
    }

    /**
     * Appends {@code message}; {@code timeToLiveSecs} 0 = never expires. Completes once it is on
     * disk. A producer that may not wait ({@link Patience#NONE}) is refused at once when the
     * buffer's writer is backed up, instead of waiting for room.
     */
    static CompletableFuture<Void> append(OfflineBuffer buffer, Message message, int routePriority,
                                          long timeToLiveSecs, InstantSource clock, Patience patience) {
        int priority = routePriority == RouteSpec.DEFAULT_PRIORITY || routePriority > 9
                ? OfflineBuffer.DEFAULT_PRIORITY
                : routePriority;
        long expiresAt = timeToLiveSecs > 0 ? clock.millis() + timeToLiveSecs * 1000 : 0;
        try {
            byte[] record = MessageCodec.encode(message);
            CompletableFuture<Long> appended = patience == Patience.NONE
                    ? buffer.tryAppend(record, priority, expiresAt)
                    : buffer.append(record, priority, expiresAt);
            if (appended == null) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "the offline buffer's writer is backed up; slow down and send again"));
            }
            return appended.thenApply(offset -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
