package io.edgefn.benchmarks.loop;

import io.edgefn.devices.sim.PtyPair;
import io.edgefn.devices.sim.PumpRig;
import io.edgefn.devices.sim.PumpSimulator;
import io.edgefn.runtime.EdgeHost;
import io.edgefn.runtime.FunctionState;
import io.edgefn.runtime.HostStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Everything one run stands on: a {@link PumpRig} over a socat pty pair (the pump MCU simulator
 * on its device end, through jSerialComm, as a USB serial adapter would be opened), and the host
 * on its gateway end running the benchmark deployment. Started by {@link #start}, torn down by
 * {@link #close()}, which also deletes the run's temporary directory.
 *
 * <p>Not thread-safe: created, used and closed by the trial runner's thread. The simulator's
 * timers and the injections run on one MCU thread of the rig's.
 */
final class LoopRig implements AutoCloseable {

    private final Path workDir;
    private final ScheduledExecutorService mcuThread;
    private final FrameTap tap = new FrameTap(LoopTrials.ANOMALOUS_PRESSURE);
    private PumpRig pump;
    private EdgeHost host;

    private LoopRig(Path workDir, ScheduledExecutorService mcuThread) {
        this.workDir = workDir;
        this.mcuThread = mcuThread;
    }

    /**
     * Starts the pty pair, the simulator and the host, and returns once the pump's telemetry flows
     * through the host and every function runs.
     *
     * @throws IOException when socat is missing or a port cannot be opened
     * @throws TimeoutException when the link or the functions do not come up within 20 s
     */
    static LoopRig start(LoopOptions options, TrialWatch watch, LongSupplier ticker)
            throws IOException, TimeoutException, InterruptedException {
        if (!PtyPair.available()) {
            throw new IOException("socat is needed for the loop benchmark's pty pair and is not on the PATH: "
                    + "apt-get install socat");
        }
        ScheduledExecutorService mcuThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loop-mcu");
            t.setDaemon(true);
            return t;
        });
        LoopRig rig = new LoopRig(Files.createTempDirectory("edgefn-bench-loop-"), mcuThread);
        try {
            rig.open(options, watch, ticker);
            return rig;
        } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
            rig.close();
            throw e;
        }
    }

    private void open(LoopOptions options, TrialWatch watch, LongSupplier ticker)
            throws IOException, TimeoutException, InterruptedException {
        pump = PumpRig.start(workDir.resolve("tty"), LoopDeployment.DEVICE_ID, b -> b
                .telemetryHz(options.telemetryHz())
                .scheduler(mcuThread)
                .ticker(ticker)
                .seed(options.seed())
                .onCommandRead(watch::onCommandRead));
        host = EdgeHost.builder()
                .deployment(LoopDeployment.create(workDir, pump.port(), options.burnMillis()))
                .dataDirectory(workDir.resolve("host"))
                .gatewayId("bench-gateway")
                .listener(watch)
                .transports(tap.wrap(pump.transports()))
                .build()
                .start();
        PumpSimulator simulator = pump.simulator();
        Conditions.await("the pump's telemetry to flow through the host and every function to run",
                ticker, Duration.ofSeconds(20), Duration.ofMillis(10), () -> {
                    HostStats stats = host.stats();
                    return simulator.hasSession()
                            && stats.messagesByRoute().getOrDefault(LoopDeployment.READINGS, 0L) > 0
                            && stats.functions().values().stream().allMatch(f -> f.state() == FunctionState.RUNNING);
                });
    }

    /** The simulated pump MCU. */
    PumpSimulator simulator() {
        return pump.simulator();
    }

    /** The tap on the host's end of the line, which measures the frames' sizes when armed. */
    FrameTap tap() {
        return tap;
    }

    /** The host under test. */
    EdgeHost host() {
        return host;
    }

    /** The MCU's thread: its telemetry timer, and where the anomalous readings are injected from. */
    ScheduledExecutorService mcuThread() {
        return mcuThread;
    }

    /** A description of the serial path, for the summary. */
    String link() {
        return pump.link() + ", jSerialComm on both ends";
    }

    /** Stops the host, the simulator and socat, and deletes the run's directory. */
    @Override
    public void close() {
        if (host != null) {
            host.close();
        }
        if (pump != null) {
            pump.close();
        }
        mcuThread.shutdownNow();
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("loop: could not delete " + workDir + ": " + e.getMessage());
        }
    }
}
