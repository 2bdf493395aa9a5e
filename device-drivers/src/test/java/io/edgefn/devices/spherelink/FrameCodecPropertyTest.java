package io.edgefn.devices.spherelink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class FrameCodecPropertyTest {

    private static final class Collect implements FrameCodec.Sink {
        final List<Frame> frames = new ArrayList<>();
        final List<BadFrameReason> bad = new ArrayList<>();

        @Override
        public void onFrame(Frame frame) {
            frames.add(frame);
        }

        @Override
        public void onBadFrame(BadFrameReason reason, int wireLength) {
            bad.add(reason);
        }
    }

    @Provide
    Arbitrary<Frame> frames() {
        return Combinators.combine(
                        Arbitraries.of(FrameType.class),
                        Arbitraries.integers().between(0, 0xFFFF),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(FrameCodec.MAX_PAYLOAD))
                .as(Frame::of);
    }

    @Provide
    Arbitrary<List<Frame>> frameLists() {
        return frames().list().ofMaxSize(5);
    }

    @Property(tries = 500)
    void encodeThenDecode_returnsTheSameFrames(@ForAll("frameLists") List<Frame> sent) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        sent.forEach(f -> wire.writeBytes(FrameCodec.encode(f)));
        Collect c = new Collect();
        byte[] bytes = wire.toByteArray();
        FrameCodec.decoder().accept(bytes, 0, bytes.length, c);
        assertThat(c.frames).isEqualTo(sent);
        assertThat(c.bad).isEmpty();
    }

    @Property(tries = 1000)
    void decode_randomBytes_neverThrowsAndResyncs(@ForAll @Size(max = 3000) byte[] noise, @ForAll("frames") Frame after) {
        Collect c = new Collect();
        FrameCodec.Decoder d = FrameCodec.decoder();
        d.accept(noise, 0, noise.length, c);
        byte[] resync = {0};
        d.accept(resync, 0, 1, c);
        byte[] wire = FrameCodec.encode(after);
        d.accept(wire, 0, wire.length, c);
        assertThat(c.frames).endsWith(after);
    }

    @Property(tries = 300)
    void decode_corruptedFrame_isDroppedOrDecodedButNeverThrows(@ForAll("frames") Frame frame,
                                                                 @ForAll @Size(min = 1, max = 4) List<Integer> flips) {
        byte[] wire = FrameCodec.encode(frame);
        for (int flip : flips) {
            int i = Math.floorMod(flip, wire.length);
            wire[i] = (byte) (wire[i] ^ (1 + Math.floorMod(flip >>> 8, 255)));
        }
        Collect c = new Collect();
        FrameCodec.Decoder d = FrameCodec.decoder();
        d.accept(new byte[] {0}, 0, 1, c);
        d.accept(wire, 0, wire.length, c);
        d.accept(new byte[] {0}, 0, 1, c);
        assertThat(c.frames.size() + c.bad.size()).isPositive();
    }
}
