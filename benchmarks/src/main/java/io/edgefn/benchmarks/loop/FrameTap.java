package io.edgefn.benchmarks.loop;

import io.edgefn.devices.ByteTransport;
import io.edgefn.devices.TransportFactory;
import io.edgefn.devices.spherelink.Frame;
import io.edgefn.devices.spherelink.FrameCodec;
import io.edgefn.devices.spherelink.FrameType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Measures the real size on the wire of the loop's three frames — the anomalous reading, the
 * shutdown COMMAND and its ACK — at the gateway's end of the line, for {@link WireTime}.
 *
 * <p>It wraps the host's {@link TransportFactory}; while not {@linkplain #arm() armed} each read
 * and write costs one volatile read and nothing else, so the measured trials run untouched; one
 * unmeasured trial after them runs armed, and the tap decodes both directions then. A frame's
 * size is that of its encoding ({@link FrameCodec#encode}: COBS plus the delimiter), which is
 * canonical, so it is exactly what crossed the line.
 *
 * <p>Thread-safe: reads come from the link's reader thread, writes from any thread; each
 * direction's decoder is used under its own lock.
 */
final class FrameTap {

    private final byte[] anomalousMarker;
    private final FrameCodec.Decoder inbound = FrameCodec.decoder();
    private final FrameCodec.Decoder outbound = FrameCodec.decoder();
    private volatile boolean armed;
    private volatile int readingBytes = -1;
    private volatile int commandBytes = -1;
    private volatile int commandSeq = -1;
    private volatile int ackBytes = -1;

    /** A tap recognising the anomalous reading by {@code anomalousPressure} in its payload. */
    FrameTap(double anomalousPressure) {
        this.anomalousMarker = ("\"pressure\":" + anomalousPressure).getBytes(StandardCharsets.UTF_8);
    }

    /** Starts decoding what crosses the line. */
    void arm() {
        armed = true;
    }

    /** Whether all three frames were seen since {@link #arm()}. */
    boolean complete() {
        return readingBytes > 0 && commandBytes > 0 && ackBytes > 0;
    }

    int readingBytes() {
        return readingBytes;
    }

    int commandBytes() {
        return commandBytes;
    }

    int ackBytes() {
        return ackBytes;
    }

    /** {@code factory} with every transport it opens tapped. */
    TransportFactory wrap(TransportFactory factory) {
        return (port, baud) -> {
            ByteTransport t = factory.open(port, baud);
            return new ByteTransport() {
                @Override
                public int read(byte[] buf) throws IOException {
                    int n = t.read(buf);
                    if (armed && n > 0) {
                        synchronized (inbound) {
                            inbound.accept(buf, 0, n, sink(true));
                        }
                    }
                    return n;
                }

                @Override
                public void write(byte[] bytes) throws IOException {
                    t.write(bytes);
                    if (armed) {
                        synchronized (outbound) {
                            outbound.accept(bytes, 0, bytes.length, sink(false));
                        }
                    }
                }

                @Override
                public void close() throws IOException {
                    t.close();
                }

                @Override
                public String describe() {
                    return t.describe();
                }
            };
        };
    }

    private FrameCodec.Sink sink(boolean fromMcu) {
        return new FrameCodec.Sink() {
            @Override
            public void onFrame(Frame frame) {
                int size = FrameCodec.encode(frame).length;
                if (fromMcu && frame.type() == FrameType.TELEMETRY && contains(frame.payload(), anomalousMarker)) {
                    readingBytes = size;
                } else if (!fromMcu && frame.type() == FrameType.COMMAND
                        && frame.payloadText().contains("\"shutdown\"")) {
                    commandSeq = frame.seq();
                    commandBytes = size;
                } else if (fromMcu && frame.type() == FrameType.ACK && frame.seq() == commandSeq) {
                    ackBytes = size;
                }
            }

            @Override
            public void onBadFrame(io.edgefn.devices.spherelink.BadFrameReason reason, int wireLength) {
                // a partial frame at arming time: ignored
            }
        };
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
