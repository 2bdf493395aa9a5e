package io.edgefn.buffer;

/**
 * One record read from the buffer.
 *
 * <p>The {@code offset} identifies the record for {@link Cursor#ack(long)}: it is unique in the
 * store, and within one priority it grows in append order ({@code offset = sequence * 16 + priority},
 * where {@code sequence} counts the appends of that priority). Offsets of different priorities are
 * not ordered against each other.
 *
 * @param offset           the record's identity, see above
 * @param priority         0 (highest) to 9, or {@link OfflineBuffer#DEFAULT_PRIORITY}
 * @param enqueuedAtMillis when it was appended, from the buffer's clock (epoch millis)
 * @param expiresAtMillis  when it expires (epoch millis), 0 for never
 * @param payload          the bytes appended (a copy owned by the caller)
 */
public record BufferedRecord(long offset, int priority, long enqueuedAtMillis, long expiresAtMillis, byte[] payload) {

    /** The priority encoded in an offset returned by {@link OfflineBuffer#append}. */
    public static int priorityOf(long offset) {
        return (int) (offset & 0xF);
    }

    /** The per-priority sequence number encoded in an offset. */
    public static long sequenceOf(long offset) {
        return offset >>> 4;
    }

    /** The offset of the record with the given priority and per-priority sequence number. */
    public static long offsetOf(int priority, long sequence) {
        return (sequence << 4) | priority;
    }
}
