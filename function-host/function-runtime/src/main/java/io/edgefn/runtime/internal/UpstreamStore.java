package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import io.edgefn.buffer.Cursor;
import io.edgefn.buffer.OfflineBuffer;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code $upstream} sink: every message routed there is appended to the offline buffer and
 * counts as taken only once the append is on disk. An upstream link (when one is configured)
 * drains the {@value #CURSOR} cursor; without one, messages stay held and are counted.
 *
 * <p>Thread-safe: the buffer serialises appends on its writer thread.
 */
final class UpstreamStore implements MessageSink {

    /** The buffer cursor of the upstream link. */
    static final String CURSOR = io.edgefn.runtime.UpstreamRecords.CURSOR;

    private final OfflineBuffer buffer;
    private final Cursor cursor;
    private final InstantSource clock;
    private final long defaultTimeToLiveSecs;

    /**
     * A store on {@code buffer}; a route that gives no TTL keeps its messages
     * {@code defaultTimeToLiveSecs} (0 = for ever).
     */
    public UpstreamStore(OfflineBuffer buffer, InstantSource clock, long defaultTimeToLiveSecs) {
        this.buffer = buffer;
        this.cursor = buffer.cursor(CURSOR);
        this.clock = clock;
        this.defaultTimeToLiveSecs = defaultTimeToLiveSecs;
    }

    @Override
    public String address() {
        return CURSOR;
    }

    /**
     * Appends {@code message} with the route's priority (0–9, or the default band) and TTL
     * (seconds, 0 = the store's default); completes once it is durable.
     */
    @Override
    public CompletableFuture<Void> accept(Message message, int routePriority, long timeToLiveSecs, Patience patience) {
        long ttl = timeToLiveSecs > 0 ? timeToLiveSecs : defaultTimeToLiveSecs;
        return BufferedMessages.append(buffer, message, routePriority, ttl, clock, patience);
    }

    @Override
    public boolean congested() {
        return buffer.congested();
    }

    /**
     * Opens (recovering) the offline buffer in {@code directory} with the deployment's
     * store-and-forward settings, and the store on it.
     */
    public static UpstreamStore open(java.nio.file.Path directory, io.edgefn.deploy.StoreAndForward settings,
                                     InstantSource clock) {
        io.edgefn.buffer.BufferOptions.Builder options = io.edgefn.buffer.BufferOptions.builder().clock(clock)
                .fullPolicy(io.edgefn.deploy.StoreAndForward.DROP_OLDEST.equals(settings.fullPolicy())
                        ? io.edgefn.buffer.FullPolicy.DROP_OLDEST : io.edgefn.buffer.FullPolicy.REJECT_NEW);
        if (settings.maxBytes() != null) {
            options.maxBytes(settings.maxBytes());
        }
        try {
            return new UpstreamStore(OfflineBuffer.open(directory, options.build()), clock, settings.timeToLiveSecs());
        } catch (java.io.IOException e) {
            throw new io.edgefn.runtime.HostException("cannot open the offline buffer in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Messages held for upstream: appended and not yet acknowledged by an upstream link. */
    public long held() {
        return cursor.depth();
    }

    /** The buffer underneath. */
    public OfflineBuffer buffer() {
        return buffer;
    }
}
