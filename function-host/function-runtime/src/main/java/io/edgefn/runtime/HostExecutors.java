package io.edgefn.runtime;

import io.edgefn.runtime.internal.CpuPriority;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The host's threads: a small scheduler (watchdogs, retry and restart backoff, timers, the device
 * drivers' pings and retries — part of the safety path, so its threads are raised, see
 * {@link CpuPriority}), virtual threads for ordinary functions, and platform threads for the
 * functions on the safety path (which also complete device commands, off the serial reader).
 *
 * <p>{@link #create()} makes the production set; {@link #of} takes executors from the embedding
 * application or a test (a manual scheduler, say). The host closes what it is given when it
 * closes. Thread-safe; {@link #close()} once.
 */
public final class HostExecutors implements AutoCloseable {

    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final ExecutorService safetyWorkers;

    private HostExecutors(ScheduledExecutorService scheduler, ExecutorService workers, ExecutorService safetyWorkers) {
        this.scheduler = scheduler;
        this.workers = workers;
        this.safetyWorkers = safetyWorkers;
    }

    /**
     * Executors given by the caller: {@code scheduler} times watchdogs, retries, restarts, timers
     * and device pings; {@code workers} runs ordinary invocations; {@code safetyWorkers} runs the
     * safety path's invocations and device-command completions.
     */
    public static HostExecutors of(ScheduledExecutorService scheduler, ExecutorService workers, ExecutorService safetyWorkers) {
        if (scheduler == null || workers == null || safetyWorkers == null) {
            throw new IllegalArgumentException("HostExecutors.of needs a scheduler, workers and safety workers; got "
                    + scheduler + ", " + workers + ", " + safetyWorkers);
        }
        return new HostExecutors(scheduler, workers, safetyWorkers);
    }

    /** The production executors: a raised two-thread scheduler, virtual workers, raised platform safety workers. */
    public static HostExecutors create() {
        AtomicInteger schedulerThreads = new AtomicInteger();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(CpuPriority.raised(r), "edgefn-scheduler-" + schedulerThreads.incrementAndGet());
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        return new HostExecutors(scheduler,
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("edgefn-fn-", 0).factory()),
                // Pooled: a safety thread raises its priority once (a process spawn), then is reused.
                Executors.newCachedThreadPool(raisedFactory(
                        Thread.ofPlatform().daemon().priority(Thread.MAX_PRIORITY).name("edgefn-safety-", 0).factory())));
    }

    private static java.util.concurrent.ThreadFactory raisedFactory(java.util.concurrent.ThreadFactory platform) {
        return task -> platform.newThread(CpuPriority.raised(task));
    }

    /** Timers of the host and its drivers. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Ordinary functions' invocations (virtual threads). */
    public ExecutorService workers() {
        return workers;
    }

    /** Safety-path functions' invocations (platform threads). */
    public ExecutorService safetyWorkers() {
        return safetyWorkers;
    }

    /** Lets running work finish for up to a second each, then stops everything. */
    @Override
    public void close() {
        shutdown(workers);
        shutdown(safetyWorkers);
        scheduler.shutdownNow();
    }

    private static void shutdown(ExecutorService executor) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
