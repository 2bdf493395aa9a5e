package io.edgefn.buffer;

import java.time.Duration;
import java.util.List;

/**
 * A named, durable consumer of the buffer (one per endpoint, e.g. {@code "$upstream"}).
 *
 * <p>A cursor hands out records highest priority first and in append order within a priority,
 * remembers which ones are in flight, and advances its durable position over the contiguous
 * acknowledged prefix of each priority. After a restart it resumes at that position: delivery is
 * at least once, with no gaps. Thread-safe; {@link #poll(int, Duration)} may block, the other
 * methods do not.
 */
public interface Cursor {

    /**
     * The next unacknowledged records not yet in flight, at most {@code max}: highest priority first,
     * FIFO within a priority; expired records are skipped and counted. Empty if none.
     */
    List<BufferedRecord> poll(int max);

    /** Like {@link #poll(int)}, but waits up to {@code wait} for at least one record. */
    List<BufferedRecord> poll(int max, Duration wait) throws InterruptedException;

    /**
     * Acknowledges a record returned by {@code poll}; acknowledgements may come out of order. The
     * durable position advances over the contiguous acknowledged prefix. Acknowledging twice is
     * harmless; acknowledging an offset this cursor never handed out throws {@link IllegalArgumentException}.
     */
    void ack(long offset);

    /** Hands every in-flight (polled, unacknowledged) record out again from the next poll, e.g. after a reconnect. */
    void rewind();

    /** The number of records not yet acknowledged by this cursor (expired ones stop counting once skipped). */
    long depth();

    /** The cursor's name. */
    String name();
}
