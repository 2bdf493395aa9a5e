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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Runs the trials of one benchmark run on a started {@link LoopRig}. A trial: a random pause of
 * 20–200 ms; the MCU writes one reading {@link #ANOMALOUS_PRESSURE} bar, beyond the detector's
 * hard limit; the latency is from just before that write to the gateway decoding the MCU's ACK of
 * the shutdown COMMAND; a trial with no ACK within 1 s is missed (infinite in the percentiles).
 * Then the pump is restarted through the host's device-command binding, and the next trial waits
 * until the MCU runs again and the host has delivered its {@code pump-restarted} EVENT to the
 * detector and the shutdown function (which re-arm on it) and neither has anything queued.
 *
 * <p>Around the measured trials it samples the process's and the burner's CPU time and the
 * collector's work; after them one unmeasured trial runs with the {@link FrameTap} armed, to
 * learn the frames' sizes on the wire.
 *
 * <p>Not thread-safe: one runner per rig, on the calling thread.
 */
final class LoopTrials {

    /** The injected pressure: the hard limit plus 50 bar. */
    static final double ANOMALOUS_PRESSURE = LoopDeployment.HARD_LIMIT + 50;
    /** A trial whose ACK comes later than this is missed. */
    static final Duration MISSED_AFTER = Duration.ofSeconds(1);
    /** How long a trial waits for a late ACK before it restarts the pump regardless. */
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(5);
    /** The restart is not measured: on a loaded machine it may take long, and must not fail the run. */
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(30);

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

    /** Runs the warm-up and the measured trials of {@code options}, then the sizing trial. */
    LoopResult run(LoopOptions options) throws InterruptedException, ExecutionException, TimeoutException {
        for (int i = 0; i < options.warmupTrials(); i++) {
            runTrial();
        }
        if (options.warmupTrials() > 0) {
            progress.printf(Locale.ROOT, "loop: %d warm-up trials done%n", options.warmupTrials());
        }
        Map<String, FunctionStats> functions = rig.host().stats().functions();
        Set<String> safety = new TreeSet<>();
        Set<String> ordinary = new TreeSet<>();
        functions.values().forEach(f -> (f.safetyCritical() ? safety : ordinary).add(f.name()));

        List<TrialTimes> times = new ArrayList<>();
        StageBreakdown breakdown = new StageBreakdown(MISSED_AFTER.toNanos());
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Double> load = new ArrayList<>();
        loadAverage().ifPresent(load::add);
        // The per-thread CPU samples list the threads (a thread-dump safepoint of their own):
        // taken outside the window whose pauses are reported, between trials.
        Map<Long, Long> burnerBefore = ThreadReport.cpuNanosByThread("ordinary", safety, ordinary);
        Map<Long, Long> safetyBefore = ThreadReport.cpuNanosByThread("safety", safety, ordinary);
        GcWatch gc = new GcWatch();
        gc.start();
        double fromUptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
        long cpuStart = os.getProcessCpuTime();
        long wallStart = ticker.getAsLong();
        int every = Math.max(1, options.trials() / 10);
        for (int i = 1; i <= options.trials(); i++) {
            TrialTimes t = runTrial();
            times.add(t);
            breakdown.add(t);
            if (i % every == 0 || i == options.trials()) {
                progress.printf(Locale.ROOT, "loop: %d/%d trials, p99 so far %s ms, missed %d%n",
                        i, options.trials(), LoopJson.text(breakdown.total().percentileMillis(99)).strip(),
                        breakdown.missed());
            }
        }
        long wall = ticker.getAsLong() - wallStart;
        double cores = (os.getProcessCpuTime() - cpuStart) / (double) wall;
        double toUptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
        Map<String, Object> gcBeans = gc.toMap();
        double burnerCores = ThreadReport.cpuNanosBetween(burnerBefore,
                ThreadReport.cpuNanosByThread("ordinary", safety, ordinary)) / (double) wall;
        double safetyCores = ThreadReport.cpuNanosBetween(safetyBefore,
                ThreadReport.cpuNanosByThread("safety", safety, ordinary)) / (double) wall;
        loadAverage().ifPresent(load::add);
        Map<String, Object> priorities = ThreadReport.priorities(safety, ordinary);

        // One more trial, unmeasured, with the tap decoding the line: the frames' real sizes.
        rig.tap().arm();
        runTrial();
        FrameTap tap = rig.tap();
        Map<String, Object> wire = tap.complete()
                ? WireTime.table(tap.readingBytes(), tap.commandBytes(), tap.ackBytes()) : null;

        HostStats stats = rig.host().stats();
        return new LoopResult(options, GcWatch.collectorName(), times, breakdown, watch.spuriousShutdowns(), cores,
                burnerCores, safetyCores, Runtime.getRuntime().availableProcessors(), stats.functions(), rig.link(),
                List.copyOf(load), priorities, gcBeans, fromUptime, toUptime, wire);
    }

    /** The machine's 1-minute load average (the JVM reports it where the OS has one). */
    private static Optional<Double> loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? Optional.empty() : Optional.of(Math.round(load * 100) / 100.0);
    }

    /** One trial: what it saw. */
    private TrialTimes runTrial() throws InterruptedException, ExecutionException, TimeoutException {
        long pauseMillis = 20 + random.nextInt(181);
        ScheduledFuture<Trial> injected = rig.mcuThread().schedule(() -> {
            Trial t = watch.arm();
            t.injectedAt(rig.simulator().injectReading(ANOMALOUS_PRESSURE));
            return t;
        }, pauseMillis, TimeUnit.MILLISECONDS);
        Trial trial;
        try {
            trial = injected.get(pauseMillis + RESTART_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("the MCU thread did not write the anomalous reading within "
                    + (pauseMillis + RESTART_TIMEOUT.toMillis()) + " ms");
        }
        try {
            trial.ackAtGateway().get(GIVE_UP_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // no ACK: the trial is missed; what it did see stays in its times
        } finally {
            watch.disarm(trial);
        }
        TrialTimes times = trial.times();
        restartPump();
        return times;
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
        CommandResult result;
        try {
            result = rig.host().devices().send(LoopDeployment.DEVICE_ID, "restart", Map.of())
                    .toCompletableFuture().get(RESTART_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("the restart COMMAND got no answer within " + RESTART_TIMEOUT.toSeconds() + " s");
        }
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
