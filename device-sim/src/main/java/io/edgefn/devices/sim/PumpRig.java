package io.edgefn.devices.sim;

import io.edgefn.devices.ByteTransport;
import io.edgefn.devices.InMemoryTransport;
import io.edgefn.devices.TransportFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A simulated pump at the far end of a serial line, ready for a host: the {@link PumpSimulator}
 * on the device end of a {@link PtyPair} made by socat (opened through jSerialComm, as a USB
 * serial adapter would be), or of an {@link InMemoryTransport} line when socat is missing; and the
 * {@linkplain #port() port} and {@linkplain #transports() transport factory} with which the host
 * opens the gateway end. The demo and the loop benchmark stand on it.
 *
 * <pre>{@code
 * try (PumpRig rig = PumpRig.start(dir.resolve("tty"), "pump-01", b -> b.telemetryHz(20))) {
 *     EdgeHost host = EdgeHost.builder().deployment(deploymentFor(rig.port()))
 *             .transports(rig.transports()).build().start();
 *     …
 * }
 * }</pre>
 *
 * <p>Not thread-safe: started and closed by one thread (close the host first). The simulator it
 * holds is thread-safe.
 */
public final class PumpRig implements AutoCloseable {

    /** The line speed of the simulator's end of a pty pair. */
    static final int BAUD = 115_200;

    private final PtyPair pty;
    private final PumpSimulator simulator;
    private final String port;
    private final TransportFactory transports;
    private final String link;

    private PumpRig(PtyPair pty, PumpSimulator simulator, String port, TransportFactory transports, String link) {
        this.pty = pty;
        this.simulator = simulator;
        this.port = port;
        this.transports = transports;
        this.link = link;
    }

    /**
     * Starts a pump simulator announcing {@code deviceId} on a fresh line — a pty pair linked in
     * {@code directory} (created if missing) when socat is on the PATH, else an in-memory line
     * named for the device — configured further by {@code simulator} (telemetry rate, fault,
     * scheduler, hooks …), and returns once it has booted (sent its HELLO).
     *
     * @throws IOException when socat fails or the pty cannot be opened
     */
    public static PumpRig start(Path directory, String deviceId, UnaryOperator<PumpSimulator.Builder> simulator)
            throws IOException {
        return start(directory, deviceId, simulator, PtyPair.available());
    }

    /** As {@link #start(Path, String, UnaryOperator)}, over a pty pair only when {@code overPty}. */
    static PumpRig start(Path directory, String deviceId, UnaryOperator<PumpSimulator.Builder> simulator, boolean overPty)
            throws IOException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(simulator, "simulator");
        if (!overPty) {
            InMemoryTransport.Pair line = InMemoryTransport.pair(deviceId);
            PumpSimulator sim = boot(line.deviceEnd(), deviceId, simulator);
            return new PumpRig(null, sim, "in-memory:" + deviceId, (p, baud) -> line.gatewayEnd(),
                    "in-memory line (socat not found: apt-get install socat for the real serial path)");
        }
        PtyPair pty = PtyPair.open(directory);
        try {
            PumpSimulator sim = boot(TransportFactory.serial().open(pty.deviceEnd().toString(), BAUD), deviceId, simulator);
            return new PumpRig(pty, sim, pty.gatewayEnd().toString(), TransportFactory.serial(),
                    "pty pair via socat (" + pty.gatewayEnd() + " <-> " + pty.deviceEnd() + ")");
        } catch (IOException | RuntimeException e) {
            pty.close();
            throw e;
        }
    }

    private static PumpSimulator boot(ByteTransport deviceEnd, String deviceId, UnaryOperator<PumpSimulator.Builder> configure)
            throws IOException {
        try {
            PumpSimulator sim = configure.apply(PumpSimulator.builder(deviceEnd).deviceId(deviceId)).build();
            sim.start();
            return sim;
        } catch (RuntimeException e) {
            deviceEnd.close();
            throw e;
        }
    }

    /** The simulated pump's MCU. */
    public PumpSimulator simulator() {
        return simulator;
    }

    /** The port the host's device configuration names: the pty's gateway end, or {@code in-memory:<deviceId>}. */
    public String port() {
        return port;
    }

    /** How the host opens {@link #port()}: jSerialComm for a pty, else the in-memory line's gateway end. */
    public TransportFactory transports() {
        return transports;
    }

    /** Whether the line is a pty pair (socat was found) rather than an in-memory line. */
    public boolean overPty() {
        return pty != null;
    }

    /** A description of the line for people, e.g. {@code pty pair via socat (…/tty-gateway <-> …/tty-device)}. */
    public String link() {
        return link;
    }

    /** Stops the simulator (closing its end of the line) and socat; idempotent. */
    @Override
    public void close() {
        simulator.close();
        if (pty != null) {
            pty.close();
        }
    }

    @Override
    public String toString() {
        return "PumpRig[" + link + "]";
    }
}
