package io.edgefn.runtime.internal;

import io.edgefn.deploy.Deployment;
import io.edgefn.deploy.HealthGate;
import io.edgefn.deploy.TrustedKeys;
import io.edgefn.runtime.DeployOutcome;
import io.edgefn.runtime.DeploymentRecord;
import io.edgefn.runtime.DeploymentState;
import io.edgefn.runtime.Deployments;
import io.edgefn.runtime.FunctionState;
import io.edgefn.runtime.FunctionStats;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's {@link Deployments}: each change runs on one thread of its own, in the order asked
 * ({@link RunningHost#apply} does the live procedure), then the health gate watches the new
 * functions on the gate's scheduler and clock, and a failed gate applies the previous deployment
 * again the same way. The history is a {@link DeploymentHistory} in the data directory.
 *
 * <p>Thread-safe; {@link #close} once, when the host stops (a change waiting its turn is refused).
 */
public final class LiveDeployments implements Deployments, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveDeployments.class);

    private final RunningHost host;
    private final DeploymentHistory history;
    private final Path dataDirectory;
    private final boolean allowUnsigned;
    private final InstantSource clock;
    private final ScheduledExecutorService gateScheduler;
    private final ExecutorService changes = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "edgefn-deployments");
        t.setDaemon(true);
        return t;
    });
    private volatile DeploymentRecord current;
    private volatile boolean closed;

    private LiveDeployments(RunningHost host, DeploymentHistory history, Path dataDirectory, boolean allowUnsigned,
                            InstantSource clock, ScheduledExecutorService gateScheduler) {
        this.host = host;
        this.history = history;
        this.dataDirectory = dataDirectory;
        this.allowUnsigned = allowUnsigned;
        this.clock = clock;
        this.gateScheduler = gateScheduler;
    }

    /**
     * The deployments of {@code host}, just started with {@code started}: the history's current
     * entry when it is that same document (a resumed host), else {@code started} added as applied.
     */
    public static LiveDeployments open(RunningHost host, Deployment started, Path dataDirectory, boolean allowUnsigned,
                                       InstantSource clock, ScheduledExecutorService gateScheduler) {
        DeploymentHistory history = DeploymentHistory.open(dataDirectory);
        LiveDeployments d = new LiveDeployments(host, history, dataDirectory, allowUnsigned, clock, gateScheduler);
        Optional<DeploymentRecord> resumed = history.current();
        String sha = DeploymentHistory.sha256(started);
        if (resumed.isPresent() && resumed.get().documentSha256().equals(sha)) {
            DeploymentRecord r = resumed.get();
            if (r.state() != DeploymentState.APPLIED) {
                // Stopped while its gate watched: the host was started with it again, so it stands.
                r = r.with(DeploymentState.APPLIED, List.of());
                history.update(r);
            }
            d.current = r;
        } else {
            d.current = history.add(started, DeploymentState.APPLIED, clock.instant(), List.of());
        }
        return d;
    }

    @Override
    public DeploymentRecord current() {
        return current;
    }

    @Override
    public List<DeploymentRecord> history() {
        return history.records();
    }

    @Override
    public CompletableFuture<DeployOutcome> apply(Deployment deployment) {
        return submit(() -> change(deployment, false));
    }

    @Override
    public CompletableFuture<DeployOutcome> rollback(String versionOrNull) {
        return submit(() -> {
            DeploymentRecord now = current;
            Optional<DeploymentRecord> target = versionOrNull == null ? history.before(now) : history.latest(versionOrNull);
            if (target.isEmpty()) {
                return refused(versionOrNull, 0, versionOrNull == null
                        ? "there is no deployment before the current one (#" + now.sequence() + ") in the history to go back to"
                        : "no applied deployment labelled '" + versionOrNull + "' is in the history (versions: "
                        + history.records().stream().filter(r -> r.state() != DeploymentState.ROLLED_BACK)
                        .map(r -> String.valueOf(r.version())).distinct().toList() + ")");
            }
            Deployment stored;
            try {
                stored = history.load(target.get());
            } catch (RuntimeException e) {
                return refused(target.get().version(), 0, e.getMessage());
            }
            return change(stored, true);
        });
    }

    private CompletableFuture<DeployOutcome> submit(java.util.concurrent.Callable<DeployOutcome> work) {
        CompletableFuture<DeployOutcome> outcome = new CompletableFuture<>();
        if (closed) {
            outcome.complete(refused(null, 0, "the host is stopping"));
            return outcome;
        }
        try {
            changes.execute(() -> {
                try {
                    outcome.complete(closed ? refused(null, 0, "the host is stopping") : work.call());
                } catch (Throwable t) {
                    LOG.error("a deployment change failed in the host", t);
                    outcome.complete(refused(null, 0, "the host failed applying it: " + Failures.describe(t)));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            outcome.complete(refused(null, 0, "the host is stopping"));
        }
        return outcome;
    }

    private static DeployOutcome refused(String version, long applyMillis, String reason) {
        return new DeployOutcome(version, DeploymentState.REFUSED, List.of(reason), applyMillis, 0);
    }

    /** Applies {@code next} live, gates it, and rolls back when the gate fails. On the changes thread. */
    private DeployOutcome change(Deployment next, boolean rollingBack) throws IOException {
        DeploymentRecord previous = current;
        RunningHost.Change change = host.apply(next, TrustedKeys.of(dataDirectory), allowUnsigned || rollingBack);
        long applyMillis = TimeUnit.NANOSECONDS.toMillis(change.applyNanos());
        if (!change.refused().isEmpty()) {
            return new DeployOutcome(next.version(), DeploymentState.REFUSED, change.refused(), applyMillis, 0);
        }
        Instant at = clock.instant();
        if (!change.failedToStart().isEmpty()) {
            // Never swapped in: the running deployment never stopped. It ran for a moment, so it is kept.
            history.add(next, DeploymentState.ROLLED_BACK, at, change.failedToStart());
            return new DeployOutcome(next.version(), DeploymentState.ROLLED_BACK, change.failedToStart(), applyMillis, 0);
        }
        DeploymentRecord record = history.add(next, DeploymentState.GATING, at, List.of());
        current = record;
        HealthGate gate = next.healthGate();
        List<String> failures = watch(change.started(), gate);
        long gateMillis = Duration.between(at, clock.instant()).toMillis();
        if (closed) {
            // The host stops: the history keeps it GATING, and a host started with it again stands by it.
            return new DeployOutcome(next.version(), DeploymentState.GATING, List.of("the host stopped while the health gate"
                    + " watched"), applyMillis, gateMillis);
        }
        if (failures.isEmpty()) {
            record = record.with(DeploymentState.APPLIED, List.of());
            history.update(record);
            current = record;
            return new DeployOutcome(next.version(), DeploymentState.APPLIED, List.of(), applyMillis, gateMillis);
        }
        List<String> reasons = new ArrayList<>(failures);
        LOG.warn("deployment {} failed its health gate, rolling back to #{}: {}", label(next), previous.sequence(), failures);
        Deployment back = history.load(previous);
        RunningHost.Change undo = host.apply(back, TrustedKeys.of(dataDirectory), true);
        if (undo.swapped()) {
            reasons.add("rolled back to deployment " + (previous.version() == null ? "#" + previous.sequence()
                    : previous.version()));
            current = previous;
        } else {
            reasons.add("rolling back to deployment #" + previous.sequence() + " failed too, so this one keeps running: "
                    + String.join("; ", undo.refused().isEmpty() ? undo.failedToStart() : undo.refused()));
        }
        history.update(record.with(DeploymentState.ROLLED_BACK, reasons));
        if (!undo.swapped()) {
            current = record.with(DeploymentState.ROLLED_BACK, reasons);
        }
        return new DeployOutcome(next.version(), DeploymentState.ROLLED_BACK, reasons, applyMillis, gateMillis);
    }

    private static String label(Deployment d) {
        return d.version() == null ? d.origin() : d.version();
    }

    /**
     * Watches {@code started} for the gate's period on the gate's scheduler (checking a tenth of
     * the period apart, at least every 50 ms); returns every problem found at the first check that
     * found any, or none when the period ended without one.
     */
    private List<String> watch(Set<String> started, HealthGate gate) {
        List<String> now = problems(started, gate);
        if (!now.isEmpty() || gate.period().isZero() || started.isEmpty()) {
            return now;
        }
        CompletableFuture<List<String>> verdict = new CompletableFuture<>();
        long periodMillis = gate.period().toMillis();
        long every = Math.max(50, periodMillis / 10);
        ScheduledFuture<?> checks = gateScheduler.scheduleAtFixedRate(() -> {
            List<String> p = problems(started, gate);
            if (!p.isEmpty()) {
                verdict.complete(p);
            }
        }, every, every, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> end = gateScheduler.schedule(() -> verdict.complete(problems(started, gate)),
                periodMillis, TimeUnit.MILLISECONDS);
        try {
            return verdict.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("interrupted while its health gate watched");
        } catch (ExecutionException e) {
            return List.of("its health gate failed: " + Failures.describe(e.getCause()));
        } finally {
            checks.cancel(false);
            end.cancel(false);
        }
    }

    /** What is wrong with {@code started} by {@code gate}'s measure now. */
    private List<String> problems(Set<String> started, HealthGate gate) {
        List<String> problems = new ArrayList<>();
        for (String name : started) {
            FunctionStats s = host.functionStats(name);
            if (s == null) {
                continue;
            }
            if (s.state() != FunctionState.RUNNING) {
                problems.add("function '" + name + "' is " + s.state() + (s.lastProblem() == null ? "" : ": " + s.lastProblem()));
            } else if (s.restartCount() > 0) {
                problems.add("function '" + name + "' restarted " + s.restartCount() + " time(s)"
                        + (s.lastProblem() == null ? "" : ": " + s.lastProblem()));
            } else if (s.invocations() >= gate.minInvocations()
                    && (double) s.failures() / s.invocations() > gate.maxErrorRate()) {
                problems.add("function '" + name + "' failed " + s.failures() + " of " + s.invocations()
                        + " invocations, more than the health gate's maxErrorRate " + gate.maxErrorRate()
                        + (s.lastProblem() == null ? "" : " (last: " + s.lastProblem() + ")"));
            }
        }
        return problems;
    }

    /** Refuses what waits its turn and stops the changes thread (a change under way finishes or is interrupted). */
    @Override
    public void close() {
        closed = true;
        changes.shutdownNow();
    }
}
