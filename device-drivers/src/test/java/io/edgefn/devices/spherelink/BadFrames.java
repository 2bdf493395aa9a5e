package io.edgefn.devices.spherelink;

import java.util.Arrays;

/**
 * Wire images of deliberately broken frames, for tests of a receiver: made with the codec's own
 * COBS and CRC, which are not public. Stateless. Shared with device-sim's tests through this
 * module's test-jar.
 */
public final class BadFrames {

    private BadFrames() {
    }

    /** {@code frame} on the wire with the last bit of its CRC flipped. */
    public static byte[] withBadCrc(Frame frame) {
        byte[] raw = raw(frame);
        raw[raw.length - 1] ^= 0x01;
        return FrameCodec.encodeRaw(raw);
    }

    /** {@code frame} on the wire with {@code len} in its length field, and a CRC that matches. */
    public static byte[] withLengthField(Frame frame, int len) {
        byte[] raw = raw(frame);
        raw[4] = (byte) (len >>> 8);
        raw[5] = (byte) len;
        int crc = Crc16.of(raw, 0, raw.length - 2);
        raw[raw.length - 2] = (byte) (crc >>> 8);
        raw[raw.length - 1] = (byte) crc;
        return FrameCodec.encodeRaw(raw);
    }

    /** The frame before COBS: header, payload, CRC. */
    private static byte[] raw(Frame frame) {
        byte[] wire = FrameCodec.encode(frame);
        byte[] raw = new byte[wire.length];
        int n = Cobs.decode(wire, wire.length - 1, raw);
        return Arrays.copyOf(raw, n);
    }
}
