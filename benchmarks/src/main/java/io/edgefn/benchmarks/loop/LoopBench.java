package io.edgefn.benchmarks.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.benchmarks.results.MachineInfo;
import io.edgefn.benchmarks.results.ResultFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * {@code edgefn bench loop}: the flagship control loop measured end to end (issue 5, "Speed";
 * issue 15, "the loop as the target names it").
 *
 * <p>A pump MCU simulator sends telemetry at 1 kHz through a socat pty pair, opened with
 * jSerialComm on both ends; on the other end the host runs the demo's pump functions and routes,
 * and — unless {@code --no-burn} — the {@code cpu-burner} function spinning on both cores. At
 * random moments the MCU writes one reading beyond the pump's hard limit; the anomaly detector
 * trips, the shutdown function commands the pump off, the MCU acknowledges; the latency is from
 * writing that reading to the gateway decoding the ACK. Then the pump is restarted for the next
 * trial.
 *
 * <p>Each collector of {@code --collectors} runs in JVMs of its own ({@link CollectorRuns}), the
 * rounds interleaved; this JVM only starts them, merges their trials and reports. Progress goes
 * to stderr, a summary to stdout, and the last line of stdout is one JSON object (the headline
 * collector's {@code p50Millis}, {@code p99Millis} — {@code null} when more than 1 % of the
 * trials missed —, {@code maxMillis}, {@code missed}, and every collector under
 * {@code byCollector}); the same object is saved with {@link ResultFile} as
 * {@code benchmarks/results/loop.json} ({@code quick/loop.json} with {@code --quick}). Exits with
 * 2 on bad arguments, 1 when a trial was missed or the run failed.
 */
public final class LoopBench {

    private LoopBench() {
    }

    /** Runs the benchmark with command-line {@code args} (see {@code --help}). */
    public static void main(String[] args) {
        List<String> list = List.of(args);
        if (list.contains("--help") || list.contains("-h")) {
            System.out.println(LoopOptions.USAGE);
            return;
        }
        LoopOptions options;
        try {
            options = LoopOptions.parse(list);
        } catch (IllegalArgumentException e) {
            System.err.println("edgefn bench loop: " + e.getMessage());
            System.err.println(LoopOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.child()) {
            runChild(options);
            return;
        }
        Instant startedAt = Instant.now();
        MachineInfo machine = MachineInfo.describe(Path.of(System.getProperty("java.io.tmpdir")));
        Map<String, Object> result;
        try {
            result = new CollectorRuns(options, System.err).run();
        } catch (Exception e) {
            System.err.println("edgefn bench loop: the run failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        CollectorRuns.printSummary(result, System.out);
        try {
            Path saved = ResultFile.save("loop", list, options.quick(), machine, startedAt, result);
            System.err.println("loop: saved " + saved);
        } catch (RuntimeException e) {
            System.err.println("edgefn bench loop: " + e.getMessage());
        }
        try {
            System.out.println(new ObjectMapper().writeValueAsString(result));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.out.flush();
        long missed = ((Number) result.get("missedAllCollectors")).longValue();
        if (missed > 0) {
            System.err.printf(Locale.ROOT, "edgefn bench loop: %d trial(s) got no ACK of the shutdown COMMAND within 1 s%n",
                    missed);
            System.exit(1);
        }
    }

    /** One round in this JVM, for a parent run: the last line of stdout is the round's JSON with every trial. */
    private static void runChild(LoopOptions options) {
        LoopResult result;
        try {
            result = run(options, System::nanoTime, System.err);
        } catch (Exception e) {
            System.err.println("edgefn bench loop: the run failed: " + e);
            System.exit(1);
            return;
        }
        try {
            System.out.println(new ObjectMapper().writeValueAsString(result.toMap()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.out.flush();
    }

    /**
     * One round in this JVM: starts the rig, runs the trials, tears everything down. Times come from
     * {@code ticker} (nanoseconds, also the simulator's); progress goes to {@code progress}.
     */
    static LoopResult run(LoopOptions options, LongSupplier ticker, PrintStream progress) throws Exception {
        if (!options.verbose()) {
            // A line per trial (shutdown, restart, re-armed) from the host, the simulator and the
            // functions' own loggers would drown the progress.
            for (String name : List.of("io.edgefn", "edgefn")) {
                ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(name))
                        .setLevel(ch.qos.logback.classic.Level.WARN);
            }
        }
        progress.printf(Locale.ROOT, "loop: starting socat, the pump MCU simulator (%.0f Hz) and the host%s…%n",
                options.telemetryHz(), options.burning() ? " with cpu-burner (" + options.burnMillis() + " ms per 10 ms tick)" : "");
        TrialWatch watch = new TrialWatch(ticker, LoopTrials.ANOMALOUS_PRESSURE);
        try (LoopRig rig = LoopRig.start(options, watch, ticker)) {
            progress.printf(Locale.ROOT, "loop: link up; %d warm-up and %d measured trials, 20-200 ms apart%n",
                    options.warmupTrials(), options.trials());
            return new LoopTrials(rig, watch, ticker, new SplittableRandom(options.seed()), progress).run(options);
        }
    }
}
