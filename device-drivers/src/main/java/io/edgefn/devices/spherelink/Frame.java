package io.edgefn.devices.spherelink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One decoded Sphere link frame: its type, sequence number and payload (UTF-8 JSON, or empty).
 * Immutable: the payload is copied in and out.
 */
public final class Frame {

    private final FrameType type;
    private final int seq;
    private final byte[] payload;

    private Frame(FrameType type, int seq, byte[] payload) {
        this.type = type;
        this.seq = seq;
        this.payload = payload;
    }

    /**
     * A frame of {@code type} with sequence number {@code seq} (0..65535) and {@code payload}.
     *
     * @throws IllegalArgumentException when seq is out of range or the payload exceeds
     *                                  {@value FrameCodec#MAX_PAYLOAD} bytes
     */
    public static Frame of(FrameType type, int seq, byte[] payload) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        if (seq < 0 || seq > 0xFFFF) {
            throw new IllegalArgumentException("seq must be 0..65535, was: " + seq);
        }
        if (payload.length > FrameCodec.MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload must be at most " + FrameCodec.MAX_PAYLOAD
                    + " bytes, was: " + payload.length + " bytes (" + type + " seq " + seq + ")");
        }
        return new Frame(type, seq, payload.clone());
    }

    /** A frame whose payload is {@code json} in UTF-8. */
    public static Frame of(FrameType type, int seq, String json) {
        return of(type, seq, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A frame with an empty payload (PING, PONG). */
    public static Frame empty(FrameType type, int seq) {
        return of(type, seq, new byte[0]);
    }

    /** Wraps bytes the caller hands over and never touches again. */
    static Frame owning(FrameType type, int seq, byte[] payload) {
        return new Frame(type, seq, payload);
    }

    /** The frame type. */
    public FrameType type() {
        return type;
    }

    /** The sequence number, 0..65535. */
    public int seq() {
        return seq;
    }

    /** A copy of the payload bytes. */
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload length in bytes. */
    public int payloadLength() {
        return payload.length;
    }

    /** The payload decoded as UTF-8. */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The payload without copying; callers must not modify it. */
    byte[] payloadUnsafe() {
        return payload;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.type == type && f.seq == seq && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return (type.hashCode() * 31 + seq) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return type + " seq=" + seq + (payload.length == 0 ? "" : " " + payloadText());
    }
}
