package io.edgefn.devices.spherelink;

import io.edgefn.api.LogText;
import io.edgefn.devices.ByteTransport;
import java.io.IOException;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Decodes a Sphere link byte stream into one printable line per frame, for
 * {@code edgefn serial watch PORT}:
 * <pre>
 * 12:00:01.123 TELEMETRY seq=4711 len=62 {"ts":1764115200123,"pressure":87.2,…}
 * 12:00:01.130 BAD crc (23 bytes on the wire)
 * </pre>
 * Times are UTC from the injected clock; payloads longer than the line limit are cut with "…".
 * What the MCU sent is printed through {@link LogText}: a payload carrying terminal escape
 * sequences or line breaks shows them as escapes instead of acting on the terminal.
 *
 * <p>Not thread-safe: owned by the thread that reads the stream.
 */
public final class FrameWatcher {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final int MAX_PAYLOAD_CHARS = 400;

    private final InstantSource clock;
    private final Consumer<String> out;
    private final FrameCodec.Decoder decoder = FrameCodec.decoder();
    private final FrameCodec.Sink sink;
    private long frames;
    private ByteTransport answerOn;
    private String gatewayId;
    private long badFrames;

    /** A watcher that prints to {@code out}, time-stamping lines with {@code clock}. */
    public FrameWatcher(InstantSource clock, Consumer<String> out) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.out = Objects.requireNonNull(out, "out");
        this.sink = new FrameCodec.Sink() {
            @Override
            public void onFrame(Frame frame) {
                frames++;
                out.accept(format(frame));
                if (answerOn != null) {
                    answer(frame);
                }
            }

            @Override
            public void onBadFrame(BadFrameReason reason, int wireLength) {
                badFrames++;
                out.accept(TIME.format(clock.instant()) + " BAD " + reason.label() + " (" + wireLength + " bytes on the wire)");
            }
        };
    }

    /**
     * Makes this watcher answer on {@code line} as the least a gateway must: HELLO with HELLO_ACK
     * (no fail-safe period), PING with PONG, EVENT with ACK {@code ok} — so that an MCU waiting
     * for a gateway starts its session and streams while it is watched. Answers are printed too,
     * marked {@code ->}.
     */
    public FrameWatcher answering(ByteTransport line, String gatewayId) {
        this.answerOn = Objects.requireNonNull(line, "line");
        this.gatewayId = Objects.requireNonNull(gatewayId, "gatewayId");
        return this;
    }

    private void answer(Frame frame) {
        Frame reply = switch (frame.type()) {
            case HELLO -> Frame.of(FrameType.HELLO_ACK, frame.seq(),
                    "{\"gatewayId\":\"" + gatewayId.replace("\"", "") + "\",\"time\":" + clock.millis() + "}");
            case PING -> Frame.empty(FrameType.PONG, frame.seq());
            case EVENT -> Frame.of(FrameType.ACK, frame.seq(), "{\"status\":\"ok\"}");
            default -> null;
        };
        if (reply == null) {
            return;
        }
        try {
            answerOn.write(FrameCodec.encode(reply));
            out.accept("-> " + format(reply));
        } catch (IOException e) {
            out.accept("-> could not answer " + frame.type() + ": " + LogText.escape(e.getMessage()));
        }
    }

    /** Feeds {@code len} bytes of {@code buf} from {@code off}, printing every frame they complete. */
    public void accept(byte[] buf, int off, int len) {
        decoder.accept(buf, off, len, sink);
    }

    /**
     * Reads {@code transport} until it closes, printing every frame; returns then. A failing port
     * is reported as an {@link IOException} naming it.
     */
    public void watch(ByteTransport transport) throws IOException {
        byte[] buf = new byte[4096];
        int n;
        while ((n = transport.read(buf)) >= 0) {
            accept(buf, 0, n);
        }
    }

    /** Valid frames printed so far. */
    public long frames() {
        return frames;
    }

    /** Bad frames printed so far. */
    public long badFrames() {
        return badFrames;
    }

    private String format(Frame frame) {
        StringBuilder line = new StringBuilder(96)
                .append(TIME.format(clock.instant())).append(' ')
                .append(frame.type()).append(" seq=").append(frame.seq())
                .append(" len=").append(frame.payloadLength());
        if (frame.payloadLength() > 0) {
            line.append(' ').append(LogText.preview(frame.payloadText(), MAX_PAYLOAD_CHARS));
        }
        return line.toString();
    }
}
