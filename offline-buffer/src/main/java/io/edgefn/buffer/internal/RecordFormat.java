package io.edgefn.buffer.internal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk frame of one record. Stateless.
 *
 * <pre>
 *   magic    int   0x45464231 ("EFB1"), lets recovery find the next record after a damaged one
 *   crc      int   CRC32C of every byte after this field
 *   size     int   bytes after this field: 25 + payload length
 *   sequence long  per-priority sequence number
 *   priority byte
 *   enqueued long  epoch millis
 *   expires  long  epoch millis, 0 = never
 *   payload  bytes
 * </pre>
 */
public final class RecordFormat {
    /** The marker at the start of every record. */
    public static final int MAGIC = 0x45464231;
    /** Bytes before the size-counted part: magic, crc, size. */
    public static final int PREFIX = 12;
    /** Bytes of the size-counted part that are not payload. */
    public static final int FIXED = 25;
    /** Framing overhead per record. */
    public static final int OVERHEAD = PREFIX + FIXED;
    /** The largest payload accepted (16 MiB). */
    public static final int MAX_PAYLOAD = 16 << 20;

    /** What {@link #check} found at a position. */
    public enum Check {
        /** A whole frame whose CRC matches. */
        VALID,
        /** The bytes end inside a plausible frame. */
        INCOMPLETE,
        /** Not a record: wrong magic, impossible size, or CRC mismatch. */
        INVALID
    }

    private RecordFormat() {
    }

    /** The framed size of a record with {@code payloadLength} bytes of payload. */
    public static int framedSize(int payloadLength) {
        return OVERHEAD + payloadLength;
    }

    /** Writes one framed record at {@code dst}'s position and advances it; {@code crc} is scratch state, reset here. */
    public static void encode(ByteBuffer dst, CRC32C crc, long sequence, int priority, long enqueuedAt, long expiresAt,
                              byte[] payload) {
        int start = dst.position();
        dst.putInt(MAGIC).putInt(0).putInt(FIXED + payload.length)
                .putLong(sequence).put((byte) priority).putLong(enqueuedAt).putLong(expiresAt).put(payload);
        int end = dst.position();
        crc.reset();
        crc.update(dst.position(start + 8).limit(end));
        dst.limit(dst.capacity()).position(end);
        dst.putInt(start + 4, (int) crc.getValue());
    }

    /**
     * Checks the record starting at {@code pos} of {@code buf} (absolute, up to {@code buf.limit()}):
     * VALID if whole and its CRC matches, INCOMPLETE if the buffer ends inside a plausible frame,
     * INVALID otherwise.
     */
    public static Check check(ByteBuffer buf, int pos) {
        return check(buf, pos, new CRC32C());
    }

    /** As {@link #check(ByteBuffer, int)} with {@code crc} as scratch state (reset here). */
    public static Check check(ByteBuffer buf, int pos, CRC32C crc) {
        int limit = buf.limit();
        if (limit - pos < PREFIX) {
            return limit - pos < 4 || buf.getInt(pos) == MAGIC ? Check.INCOMPLETE : Check.INVALID;
        }
        if (buf.getInt(pos) != MAGIC) {
            return Check.INVALID;
        }
        int size = buf.getInt(pos + 8);
        if (size < FIXED || size > FIXED + MAX_PAYLOAD) {
            return Check.INVALID;
        }
        if (limit - pos - PREFIX < size) {
            return Check.INCOMPLETE;
        }
        crc.reset();
        int oldPosition = buf.position();
        crc.update(buf.position(pos + 8).limit(pos + PREFIX + size));
        buf.limit(limit).position(oldPosition);
        return (int) crc.getValue() == buf.getInt(pos + 4) ? Check.VALID : Check.INVALID;
    }

    /** The framed length of the (checked) record at {@code pos}. */
    public static int length(ByteBuffer buf, int pos) {
        return PREFIX + buf.getInt(pos + 8);
    }

    /** The sequence number of the (checked) record at {@code pos}. */
    public static long sequence(ByteBuffer buf, int pos) {
        return buf.getLong(pos + 12);
    }

    /** The priority of the (checked) record at {@code pos}. */
    public static int priority(ByteBuffer buf, int pos) {
        return buf.get(pos + 20);
    }

    /** The enqueue time of the (checked) record at {@code pos}. */
    public static long enqueuedAt(ByteBuffer buf, int pos) {
        return buf.getLong(pos + 21);
    }

    /** The expiry of the (checked) record at {@code pos}. */
    public static long expiresAt(ByteBuffer buf, int pos) {
        return buf.getLong(pos + 29);
    }

    /** A copy of the payload of the (checked) record at {@code pos}. */
    public static byte[] payload(ByteBuffer buf, int pos) {
        byte[] out = new byte[buf.getInt(pos + 8) - FIXED];
        buf.get(pos + OVERHEAD, out);
        return out;
    }
}
