package io.edgefn.devices.spherelink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private final List<Frame> frames = new ArrayList<>();
    private final List<BadFrameReason> bad = new ArrayList<>();
    private final FrameCodec.Sink sink = new FrameCodec.Sink() {
        @Override
        public void onFrame(Frame frame) {
            frames.add(frame);
        }

        @Override
        public void onBadFrame(BadFrameReason reason, int wireLength) {
            bad.add(reason);
        }
    };

    /** A decoder already in sync, as after the first delimiter on the line. */
    private FrameCodec.Decoder syncedDecoder() {
        FrameCodec.Decoder d = FrameCodec.decoder();
        d.accept(new byte[] {0}, 0, 1, sink);
        return d;
    }

    private static byte[] raw(int version, int type, int seq, int lenField, byte[] payload, boolean goodCrc) {
        byte[] raw = new byte[8 + payload.length];
        raw[0] = (byte) version;
        raw[1] = (byte) type;
        raw[2] = (byte) (seq >>> 8);
        raw[3] = (byte) seq;
        raw[4] = (byte) (lenField >>> 8);
        raw[5] = (byte) lenField;
        System.arraycopy(payload, 0, raw, 6, payload.length);
        int crc = Crc16.of(raw, 0, 6 + payload.length) ^ (goodCrc ? 0 : 0x0101);
        raw[6 + payload.length] = (byte) (crc >>> 8);
        raw[7 + payload.length] = (byte) crc;
        return FrameCodec.encodeRaw(raw);
    }

    @Test
    void crc16_checkValue_is0x29B1() {
        assertThat(FrameCodec.crc16("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x29B1);
    }

    @Test
    void encode_frame_hasNoZeroBeforeTheTrailingDelimiter() {
        byte[] wire = FrameCodec.encode(Frame.of(FrameType.TELEMETRY, 0, new byte[] {0, 0, 1, 0}));
        assertThat(wire[wire.length - 1]).isZero();
        for (int i = 0; i < wire.length - 1; i++) {
            assertThat(wire[i]).as("byte %d", i).isNotZero();
        }
    }

    @Test
    void encode_helloSeq0x1234_matchesTheSpecLayout() {
        byte[] wire = FrameCodec.encode(Frame.of(FrameType.HELLO, 0x1234, "{}"));
        byte[] decoded = new byte[wire.length];
        int n = Cobs.decode(wire, wire.length - 1, decoded);
        assertThat(n).isEqualTo(10);
        assertThat(decoded[0]).isEqualTo((byte) 0x01);
        assertThat(decoded[1]).isEqualTo((byte) 0x01);
        assertThat(decoded[2]).isEqualTo((byte) 0x12);
        assertThat(decoded[3]).isEqualTo((byte) 0x34);
        assertThat(decoded[4]).isEqualTo((byte) 0);
        assertThat(decoded[5]).isEqualTo((byte) 2);
        int crc = ((decoded[8] & 0xFF) << 8) | (decoded[9] & 0xFF);
        assertThat(crc).isEqualTo(Crc16.of(decoded, 0, 8));
    }

    @Test
    void accept_framesSplitByteByByte_decodesEach() {
        FrameCodec.Decoder d = FrameCodec.decoder();
        Frame a = Frame.of(FrameType.TELEMETRY, 65535, "{\"pressure\":87.2}");
        Frame b = Frame.empty(FrameType.PING, 0);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(FrameCodec.encode(a));
        wire.writeBytes(FrameCodec.encode(b));
        for (byte x : wire.toByteArray()) {
            d.accept(new byte[] {x}, 0, 1, sink);
        }
        assertThat(frames).containsExactly(a, b);
        assertThat(bad).isEmpty();
    }

    @Test
    void accept_maximumPayload_decodes() {
        byte[] payload = new byte[FrameCodec.MAX_PAYLOAD];
        java.util.Arrays.fill(payload, (byte) 'x');
        Frame big = Frame.of(FrameType.EVENT, 7, payload);
        byte[] wire = FrameCodec.encode(big);
        syncedDecoder().accept(wire, 0, wire.length, sink);
        assertThat(frames).containsExactly(big);
    }

    @Test
    void accept_badCrc_dropsAndCountsCrc() {
        byte[] wire = raw(1, 0x10, 1, 2, "{}".getBytes(StandardCharsets.UTF_8), false);
        syncedDecoder().accept(wire, 0, wire.length, sink);
        assertThat(frames).isEmpty();
        assertThat(bad).containsExactly(BadFrameReason.CRC);
    }

    @Test
    void accept_wrongVersion_dropsAndCountsVersion() {
        byte[] wire = raw(2, 0x10, 1, 2, "{}".getBytes(StandardCharsets.UTF_8), true);
        syncedDecoder().accept(wire, 0, wire.length, sink);
        assertThat(bad).containsExactly(BadFrameReason.VERSION);
    }

    @Test
    void accept_lengthFieldOver1024_dropsAndCountsLength() {
        byte[] wire = raw(1, 0x10, 1, 2000, "{}".getBytes(StandardCharsets.UTF_8), true);
        syncedDecoder().accept(wire, 0, wire.length, sink);
        assertThat(bad).containsExactly(BadFrameReason.LENGTH);
    }

    @Test
    void accept_lengthFieldDisagreeingWithFrame_dropsAndCountsLength() {
        byte[] wire = raw(1, 0x10, 1, 1, "{}".getBytes(StandardCharsets.UTF_8), true);
        syncedDecoder().accept(wire, 0, wire.length, sink);
        assertThat(bad).containsExactly(BadFrameReason.LENGTH);
    }

    @Test
    void accept_payloadOver1024Bytes_dropsAndCountsLengthWithoutBufferingItAll() {
        byte[] payload = new byte[5000];
        java.util.Arrays.fill(payload, (byte) 'y');
        byte[] wire = raw(1, 0x10, 1, 5000, payload, true);
        FrameCodec.Decoder d = syncedDecoder();
        d.accept(wire, 0, wire.length, sink);
        byte[] next = FrameCodec.encode(Frame.empty(FrameType.PONG, 3));
        d.accept(next, 0, next.length, sink);
        assertThat(bad).containsExactly(BadFrameReason.LENGTH);
        assertThat(frames).containsExactly(Frame.empty(FrameType.PONG, 3));
    }

    @Test
    void accept_unknownType_dropsAndCountsUnknownType() {
        byte[] wire = raw(1, 0x42, 1, 0, new byte[0], true);
        syncedDecoder().accept(wire, 0, wire.length, sink);
        assertThat(bad).containsExactly(BadFrameReason.UNKNOWN_TYPE);
    }

    @Test
    void accept_tooShort_dropsAndCountsLength() {
        byte[] wire = FrameCodec.encodeRaw(new byte[] {1, 0x30, 0});
        syncedDecoder().accept(wire, 0, wire.length, sink);
        assertThat(bad).containsExactly(BadFrameReason.LENGTH);
    }

    @Test
    void accept_invalidCobs_dropsAndCountsCobs() {
        byte[] wire = {(byte) 0x09, 1, 2, 0};
        syncedDecoder().accept(wire, 0, wire.length, sink);
        assertThat(bad).containsExactly(BadFrameReason.COBS);
    }

    @Test
    void accept_noiseBeforeFirstDelimiter_isDiscardedSilently() {
        FrameCodec.Decoder d = FrameCodec.decoder();
        byte[] noise = {5, 7, 9, (byte) 0xFF, 3};
        d.accept(noise, 0, noise.length, sink);
        byte[] wire = FrameCodec.encode(Frame.empty(FrameType.PING, 1));
        d.accept(new byte[] {0}, 0, 1, sink);
        d.accept(wire, 0, wire.length, sink);
        assertThat(frames).containsExactly(Frame.empty(FrameType.PING, 1));
        assertThat(bad).isEmpty();
        assertThat(d.discardedBytes()).isEqualTo(5);
    }

    @Test
    void accept_firstFrameOfAFreshLine_isKept() {
        byte[] wire = FrameCodec.encode(Frame.empty(FrameType.PONG, 9));
        FrameCodec.decoder().accept(wire, 0, wire.length, sink);
        assertThat(frames).containsExactly(Frame.empty(FrameType.PONG, 9));
    }

    @Test
    void accept_noiseEndedByZeroBetweenFrames_countsOneBadFrameAndKeepsBoth() {
        FrameCodec.Decoder d = syncedDecoder();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(FrameCodec.encode(Frame.empty(FrameType.PING, 1)));
        wire.writeBytes(new byte[] {0x13, 0x37, 0x55, 0x21, 0});
        wire.writeBytes(FrameCodec.encode(Frame.empty(FrameType.PING, 2)));
        byte[] bytes = wire.toByteArray();
        d.accept(bytes, 0, bytes.length, sink);
        assertThat(frames).extracting(Frame::seq).containsExactly(1, 2);
        assertThat(bad).hasSize(1);
    }

    @Test
    void of_payloadOver1024Bytes_isRejectedWithTheSize() {
        assertThatThrownBy(() -> Frame.of(FrameType.EVENT, 1, new byte[1025]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1025");
    }

    @Test
    void of_seqOutOfRange_isRejectedWithTheValue() {
        assertThatThrownBy(() -> Frame.empty(FrameType.PING, 70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000");
    }
}
