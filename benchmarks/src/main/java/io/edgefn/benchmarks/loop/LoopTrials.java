package io.edgefn.benchmarks.loop;

import io.edgefn.api.CommandResult;
import io.edgefn.runtime.HostStats;
import io.edgefn.runtime.FunctionStats;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Runs the trials of one benchmark run on a started {@link LoopRig}. A trial: a random pause of
 * 20–200 ms; the MCU writes one reading {@link #ANOMALOUS_PRESSURE} bar, beyond the detector's
 * hard limit; the latency is from just before that write to the simulator reading the shutdown
 * COMMAND; a trial with no COMMAND within 1 s is missed. Then the pump is restarted through the
 * host's device-command binding, and the next trial waits until the MCU runs again and the host
 * has delivered its {@code pump-restarted} EVENT to the detector and the shutdown function (which
 * re-arm on it) and neither has anything queued.
 *
 * <p>Not thread-safe: one runner per rig, on the calling thread.
 */
final class LoopTrials {

    /** The injected pressure: the hard limit plus 50 bar. */
    static final double ANOMALOUS_PRESSURE = LoopDeployment.HARD_LIMIT + 50;
    /** A trial whose COMMAND comes later than this is missed. */
    static final Duration MISSED_AFTER = Duration.ofSeconds(1);
    /** How long a trial waits for a late COMMAND before it restarts the pump regardless. */
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(5);
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(5);

    private final LoopRig rig;
    private final TrialWatch watch;
    private final LongSupplier ticker;
    private final RandomGenerator random;
    private final PrintStream progress;

    /** A runner on {@code rig}; pauses drawn from {@code random}; progress lines to {@code progress}. */
    LoopTrials(LoopRig rig, TrialWatch watch, LongSupplier ticker, RandomGenerator random, PrintStream progress) {
        this.rig = rig;
        this.watch = watch;
        this.ticker = ticker;
        this.random = random;
        this.progress = progress;
    }

    /** Runs the warm-up and the measured trials of {@code options}. */
    LoopResult run(LoopOptions options) throws InterruptedException, ExecutionException, TimeoutException {
        for (int i = 0; i < options.warmupTrials(); i++) {
            runTrial(null);
        }
        if (options.warmupTrials() > 0) {
            progress.printf(Locale.ROOT, "loop: %d warm-up trials done%n", options.warmupTrials());
        }
        Measured measured = new Measured();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Double> load = new ArrayList<>();
        loadAverage().ifPresent(load::add);
        long cpuStart = os.getProcessCpuTime();
        long wallStart = ticker.getAsLong();
        int every = Math.max(1, options.trials() / 10);
        for (int i = 1; i <= options.trials(); i++) {
            runTrial(measured);
            if (i % every == 0 || i == options.trials()) {
                progress.printf(Locale.ROOT, "loop: %d/%d trials, p99 so far %.3f ms, missed %d%n",
                        i, options.trials(), measured.total.percentileMillis(99), measured.missed);
            }
        }
        long wall = ticker.getAsLong() - wallStart;
        double cores = (os.getProcessCpuTime() - cpuStart) / (double) wall;
        loadAverage().ifPresent(load::add);
        HostStats stats = rig.host().stats();
        return new LoopResult(options, measured.total, measured.driverIn, measured.functions, measured.driverOut,
                measured.driverOnly, measured.missed, measured.late, watch.spuriousShutdowns(), cores,
                Runtime.getRuntime().availableProcessors(), stats.functions(), rig.link(), List.copyOf(load));
    }

    /** The machine's 1-minute load average (the JVM reports it where the OS has one). */
    private static Optional<Double> loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? Optional.empty() : Optional.of(Math.round(load * 100) / 100.0);
    }

    /** The latencies of the measured trials. */
    private static final class Measured {
        final Latencies total = new Latencies();
        final Latencies driverIn = new Latencies();
        final Latencies functions = new Latencies();
        final Latencies driverOut = new Latencies();
        final Latencies driverOnly = new Latencies();
        long missed;
        long late;
    }

    /** One trial; {@code measured} is null for a warm-up trial. */
    private void runTrial(Measured measured) throws InterruptedException, ExecutionException, TimeoutException {
        long pauseMillis = 20 + random.nextInt(181);
        ScheduledFuture<Trial> injected = rig.mcuThread().schedule(() -> {
            Trial t = watch.arm();
            t.injectedAt(rig.simulator().injectReading(ANOMALOUS_PRESSURE));
            return t;
        }, pauseMillis, TimeUnit.MILLISECONDS);
        Trial trial = injected.get(pauseMillis + GIVE_UP_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        Long readAt;
        try {
            readAt = trial.commandRead().get(GIVE_UP_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            readAt = null;
        } finally {
            watch.disarm(trial);
        }
        if (measured != null) {
            record(measured, trial, readAt);
        }
        restartPump();
    }

    private static void record(Measured m, Trial trial, Long readAt) {
        if (readAt == null) {
            m.missed++;
            return;
        }
        long latency = readAt - trial.injectedAt();
        if (latency > MISSED_AFTER.toNanos()) {
            m.missed++;
            m.late++;
        }
        m.total.add(latency);
        if (trial.hasStages()) {
            long in = trial.routedAt() - trial.injectedAt();
            long out = readAt - trial.commandSentAt();
            m.driverIn.add(in);
            m.functions.add(trial.commandSentAt() - trial.routedAt());
            m.driverOut.add(out);
            m.driverOnly.add(in + out);
        }
    }

    /**
     * Restarts the pump through the host and waits until the MCU runs and both functions have
     * taken its {@code pump-restarted} EVENT: delivered (the routes' counters moved) and nothing
     * queued; each function runs one invocation at a time, in order, so the EVENT is handled
     * before the next trial's reading reaches it.
     */
    private void restartPump() throws InterruptedException, ExecutionException, TimeoutException {
        HostStats before = rig.host().stats();
        long toDetector = routed(before, LoopDeployment.EVENTS_TO_DETECTOR);
        long toShutdown = routed(before, LoopDeployment.EVENTS_TO_SHUTDOWN);
        CommandResult result = rig.host().devices().send(LoopDeployment.DEVICE_ID, "restart", Map.of())
                .toCompletableFuture().get(RESTART_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!result.ok()) {
            throw new IllegalStateException("the pump MCU did not restart: " + result.status() + " " + result.detail());
        }
        Conditions.await("the pump to run again and its pump-restarted EVENT to reach anomaly-detector and pump-shutdown",
                ticker, RESTART_TIMEOUT, Duration.ofMillis(1), () -> {
                    HostStats s = rig.host().stats();
                    return rig.simulator().isRunning()
                            && routed(s, LoopDeployment.EVENTS_TO_DETECTOR) > toDetector
                            && routed(s, LoopDeployment.EVENTS_TO_SHUTDOWN) > toShutdown
                            && queued(s, "anomaly-detector") == 0 && queued(s, "pump-shutdown") == 0;
                });
    }

    private static long routed(HostStats stats, String route) {
        return stats.messagesByRoute().getOrDefault(route, 0L);
    }

    private static int queued(HostStats stats, String function) {
        FunctionStats f = stats.functions().get(function);
        if (f == null) {
            throw new IllegalStateException("the host runs no function " + function + "; it runs " + stats.functions().keySet());
        }
        return f.queued();
    }
}
