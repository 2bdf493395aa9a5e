package io.edgefn.devices.spherelink;

import io.edgefn.devices.ByteTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One end of a Sphere link line, scripted by a test — usually the MCU's, facing a driver; or the
 * gateway's, facing a simulated MCU: it records every frame the other end sends and sends whatever
 * frames or raw bytes the test asks for. Thread-safe. Shared with device-sim's tests through this
 * module's test-jar.
 */
public final class ScriptedMcu implements AutoCloseable {
    private final ByteTransport transport;
    private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    private final List<BadFrameReason> bad = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread reader;

    /** Starts reading {@code transport} on a thread of its own; owns it from now on. */
    public ScriptedMcu(ByteTransport transport) {
        this.transport = transport;
        this.reader = new Thread(this::readLoop, "scripted-mcu");
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop() {
        FrameCodec.Decoder decoder = FrameCodec.decoder();
        FrameCodec.Sink sink = new FrameCodec.Sink() {
            @Override
            public void onFrame(Frame frame) {
                received.add(frame);
            }

            @Override
            public void onBadFrame(BadFrameReason reason, int wireLength) {
                bad.add(reason);
            }
        };
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = transport.read(buf)) >= 0) {
                decoder.accept(buf, 0, n, sink);
            }
        } catch (IOException e) {
            // the line went away; the test sees no more frames
        }
    }

    /** Encodes and writes {@code frame}. */
    public void send(Frame frame) throws IOException {
        transport.write(FrameCodec.encode(frame));
    }

    /** Writes {@code bytes} as they are, noise or hand-made frames included. */
    public void sendRaw(byte[] bytes) throws IOException {
        transport.write(bytes);
    }

    /** Sends the HELLO of an MCU named {@code deviceId} that streams telemetry. */
    public void hello(int seq, String deviceId) throws IOException {
        send(Frame.of(FrameType.HELLO, seq,
                "{\"deviceId\":\"" + deviceId + "\",\"firmware\":\"test/1\",\"capabilities\":[\"telemetry\"]}"));
    }

    /** The next frame of {@code type}, skipping others (PINGs, mostly); fails after {@code timeout}. */
    public Frame expect(FrameType type, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Frame f = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (f == null) {
                throw new AssertionError("no " + type + " frame within " + timeout);
            }
            if (f.type() == type) {
                return f;
            }
        }
    }

    /** Every frame of {@code type} received within {@code window}. */
    public List<Frame> collect(FrameType type, Duration window) throws InterruptedException {
        List<Frame> out = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        Frame f;
        while ((f = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
            if (f.type() == type) {
                out.add(f);
            }
        }
        return out;
    }

    /** Why each bad frame received so far was dropped, in order. */
    public List<BadFrameReason> badFrames() {
        return bad;
    }

    /** Closes the line, which ends the reader. */
    @Override
    public void close() throws IOException {
        transport.close();
    }
}
