package io.edgefn.app.cli;

import io.edgefn.api.LogText;
import io.edgefn.devices.ByteTransport;
import io.edgefn.devices.SerialPorts;
import io.edgefn.devices.TransportFactory;
import io.edgefn.devices.spherelink.FrameWatcher;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgefn serial}: the serial ports of MCUs, and their frames. */
@Command(name = "serial", mixinStandardHelpOptions = true,
        description = "Serial ports of MCUs: list them, and watch the Sphere link frames on one.",
        subcommands = {SerialCommand.Scan.class, SerialCommand.Watch.class, SerialCommand.Simulate.class})
final class SerialCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code edgefn serial scan}. */
    @Command(name = "scan", mixinStandardHelpOptions = true, description = "Lists the serial ports of this machine.")
    static final class Scan implements Callable<Integer> {
        @Override
        public Integer call() {
            List<SerialPorts.PortInfo> ports = SerialPorts.list();
            if (ports.isEmpty()) {
                System.out.println("no serial ports found (pseudo-terminals are not listed; open them by path)");
            }
            ports.forEach(p -> System.out.println(p.path() + "  " + p.description()));
            return 0;
        }
    }

    /** {@code edgefn serial simulate PORT}: a pump MCU on a port, for trying a gateway without hardware. */
    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = {"Runs the pump MCU simulator on PORT (e.g. one end of a socat pty pair) until stopped.",
                    "`edgefn demo --port OTHER_END`, or a deployment, then drives it like a real MCU."})
    static final class Simulate implements Callable<Integer> {
        @Parameters(paramLabel = "PORT", description = "The port's path.")
        String port;

        @Option(names = "--device-id", defaultValue = "pump-01", description = "The id it announces (default ${DEFAULT-VALUE}).")
        String deviceId;

        @Option(names = "--hz", defaultValue = "20", description = "Readings per second (default ${DEFAULT-VALUE}).")
        double hz;

        @Option(names = "--fault-after", paramLabel = "SECONDS", defaultValue = "8",
                description = "When a fault starts developing (default ${DEFAULT-VALUE} s).")
        double faultAfter;

        @Option(names = "--fault-rise", paramLabel = "BAR_PER_SECOND", defaultValue = "2",
                description = "How fast the pressure rises once the fault develops (default ${DEFAULT-VALUE} bar/s).")
        double faultRise;

        @Option(names = "--baud", defaultValue = "115200", description = "Line speed (default ${DEFAULT-VALUE}).")
        int baud;

        @Override
        public Integer call() throws Exception {
            java.util.concurrent.ScheduledExecutorService timers = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            try (io.edgefn.devices.sim.PumpSimulator pump = io.edgefn.devices.sim.PumpSimulator
                    .builder(TransportFactory.serial().open(port, baud)).deviceId(deviceId).telemetryHz(hz)
                    .developingFaultAfter(java.time.Duration.ofMillis((long) (faultAfter * 1000))).faultRisePerSecond(faultRise)
                    .scheduler(timers).build()) {
                pump.start();
                System.out.println("pump MCU " + deviceId + " on " + port + ": " + hz + " readings/s, fault after " + faultAfter
                        + " s; Ctrl-C stops");
                java.util.concurrent.CountDownLatch forever = new java.util.concurrent.CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown));
                forever.await();
            } finally {
                timers.shutdownNow();
            }
            return 0;
        }
    }

    /**
     * {@code edgefn serial watch PORT}. Everything it prints that came from the line is escaped
     * ({@link LogText}): a frame cannot clear or retitle the operator's terminal.
     */
    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = {"Decodes and prints Sphere link frames on PORT as they arrive, bad frames included.",
                    "Only listens, unless --answer: then it also answers HELLO, PING and EVENT as a minimal gateway, "
                            + "so an MCU with no gateway attached starts streaming.",
                    "Ctrl-C stops it."})
    static final class Watch implements Callable<Integer> {
        @Parameters(paramLabel = "PORT", description = "The port's path, e.g. /dev/ttyUSB0 or a pty.")
        String port;

        @Option(names = "--baud", defaultValue = "115200", description = "Line speed (default ${DEFAULT-VALUE}).")
        int baud;

        @Option(names = "--answer", description = "Answer HELLO, PING and EVENT so the MCU starts a session and streams.")
        boolean answer;

        @Override
        public Integer call() throws Exception {
            try (ByteTransport transport = TransportFactory.serial().open(port, baud)) {
                System.out.println("watching " + LogText.escape(port) + " at " + baud + " baud; Ctrl-C stops");
                FrameWatcher watcher = new FrameWatcher(InstantSource.system(), System.out::println);
                if (answer) {
                    watcher.answering(transport, "edgefn-serial-watch");
                }
                try {
                    watcher.watch(transport);
                    System.out.println("line closed");
                } catch (java.io.IOException e) {
                    // The port went away while watched (unplugged, pty closed): the watch is over, not failed.
                    System.out.println("line closed: " + LogText.escape(e.getMessage()));
                }
                System.out.println(watcher.frames() + " frames, " + watcher.badFrames() + " bad");
            }
            return 0;
        }
    }
}
