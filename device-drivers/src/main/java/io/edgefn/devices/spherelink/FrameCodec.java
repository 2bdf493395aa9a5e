package io.edgefn.devices.spherelink;

import java.util.Arrays;

/**
 * The Sphere link's framing: a frame is {@code version type seq len payload crc} (big-endian,
 * CRC-16/CCITT-FALSE over everything before it), COBS-encoded and followed by one {@code 0x00}.
 *
 * <p>{@link #encode(Frame)} is stateless and thread-safe. Decoding a byte stream is stateful: use
 * one {@link Decoder} per stream, owned by the thread that reads it.
 */
public final class FrameCodec {

    /** The only protocol version. */
    public static final int VERSION = 0x01;
    /** The largest payload a frame may carry, in bytes. */
    public static final int MAX_PAYLOAD = 1024;
    /** Header (version, type, seq, len) plus CRC, in bytes. */
    static final int OVERHEAD = 8;
    /** The longest a valid frame can be on the wire, COBS-encoded, without its delimiter. */
    static final int MAX_ENCODED = Cobs.maxEncodedLength(OVERHEAD + MAX_PAYLOAD);

    private FrameCodec() {
    }

    /** The bytes to put on the line for {@code frame}: COBS-encoded, followed by {@code 0x00}. */
    public static byte[] encode(Frame frame) {
        byte[] payload = frame.payloadUnsafe();
        byte[] raw = new byte[OVERHEAD + payload.length];
        raw[0] = VERSION;
        raw[1] = (byte) frame.type().code();
        raw[2] = (byte) (frame.seq() >>> 8);
        raw[3] = (byte) frame.seq();
        raw[4] = (byte) (payload.length >>> 8);
        raw[5] = (byte) payload.length;
        System.arraycopy(payload, 0, raw, 6, payload.length);
        int crc = Crc16.of(raw, 0, 6 + payload.length);
        raw[6 + payload.length] = (byte) (crc >>> 8);
        raw[7 + payload.length] = (byte) crc;
        return encodeRaw(raw);
    }

    /** COBS-encodes {@code raw} as it is (header, payload and CRC already in it) and appends the delimiter. */
    static byte[] encodeRaw(byte[] raw) {
        byte[] out = new byte[Cobs.maxEncodedLength(raw.length) + 1];
        int n = Cobs.encode(raw, raw.length, out, 0);
        out[n] = 0;
        return Arrays.copyOf(out, n + 1);
    }

    /** The CRC-16/CCITT-FALSE of {@code data}. */
    public static int crc16(byte[] data) {
        return Crc16.of(data, 0, data.length);
    }

    /** A new decoder for one byte stream, starting as if mid-stream. */
    public static Decoder decoder() {
        return new Decoder();
    }

    /** Receives what a {@link Decoder} finds in the stream. */
    public interface Sink {
        /** A valid frame. */
        void onFrame(Frame frame);

        /** A dropped frame: why, and how many bytes it spanned on the wire (without the delimiter). */
        void onBadFrame(BadFrameReason reason, int wireLength);
    }

    /**
     * Splits a byte stream at {@code 0x00} delimiters and decodes each frame, dropping and
     * reporting bad ones; never throws on bad input and never holds more than one frame's bytes.
     *
     * <p>A decoder starts as if it joined the stream in the middle: the bytes before the first
     * delimiter are decoded, and taken if they form a valid frame (CRC and all), else discarded
     * silently as the resynchronisation the spec asks for rather than counted as a bad frame.
     * This keeps the first frame of a freshly opened line while still ignoring a torn one.
     *
     * <p>Not thread-safe: owned by the thread that reads the stream.
     */
    public static final class Decoder {
        private final byte[] chunk = new byte[MAX_ENCODED];
        private final byte[] raw = new byte[MAX_ENCODED];
        private int chunkLength;
        private int overflowLength;
        private boolean synced;
        private long discardedBytes;

        private Decoder() {
        }

        /** Feeds {@code len} bytes of {@code buf} from {@code off}; complete frames go to {@code sink} at once. */
        public void accept(byte[] buf, int off, int len, Sink sink) {
            for (int i = off; i < off + len; i++) {
                byte b = buf[i];
                if (b == 0) {
                    endOfFrame(sink);
                } else if (chunkLength < chunk.length) {
                    chunk[chunkLength++] = b;
                } else {
                    overflowLength++;
                }
            }
        }

        /** Bytes thrown away while resynchronising at the start of the stream. */
        public long discardedBytes() {
            return discardedBytes;
        }

        private void endOfFrame(Sink sink) {
            int wireLength = chunkLength + overflowLength;
            boolean firstChunk = !synced;
            synced = true;
            try {
                if (wireLength == 0) {
                    return;
                }
                if (overflowLength > 0) {
                    bad(sink, firstChunk, BadFrameReason.LENGTH, wireLength);
                    return;
                }
                int n = Cobs.decode(chunk, chunkLength, raw);
                if (n < 0) {
                    bad(sink, firstChunk, BadFrameReason.COBS, wireLength);
                    return;
                }
                decodeRaw(n, wireLength, firstChunk, sink);
            } finally {
                chunkLength = 0;
                overflowLength = 0;
            }
        }

        private void decodeRaw(int n, int wireLength, boolean firstChunk, Sink sink) {
            if (n < OVERHEAD) {
                bad(sink, firstChunk, BadFrameReason.LENGTH, wireLength);
                return;
            }
            int crc = ((raw[n - 2] & 0xFF) << 8) | (raw[n - 1] & 0xFF);
            if (Crc16.of(raw, 0, n - 2) != crc) {
                bad(sink, firstChunk, BadFrameReason.CRC, wireLength);
                return;
            }
            if ((raw[0] & 0xFF) != VERSION) {
                bad(sink, firstChunk, BadFrameReason.VERSION, wireLength);
                return;
            }
            int len = ((raw[4] & 0xFF) << 8) | (raw[5] & 0xFF);
            if (len > MAX_PAYLOAD || len != n - OVERHEAD) {
                bad(sink, firstChunk, BadFrameReason.LENGTH, wireLength);
                return;
            }
            FrameType type = FrameType.ofCode(raw[1] & 0xFF);
            if (type == null) {
                bad(sink, firstChunk, BadFrameReason.UNKNOWN_TYPE, wireLength);
                return;
            }
            int seq = ((raw[2] & 0xFF) << 8) | (raw[3] & 0xFF);
            sink.onFrame(Frame.owning(type, seq, Arrays.copyOfRange(raw, 6, 6 + len)));
        }

        private void bad(Sink sink, boolean firstChunk, BadFrameReason reason, int wireLength) {
            if (firstChunk) {
                discardedBytes += wireLength;
            } else {
                sink.onBadFrame(reason, wireLength);
            }
        }
    }
}
