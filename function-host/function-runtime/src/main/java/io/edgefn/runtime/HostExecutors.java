package io.edgefn.runtime.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The host's threads: a small scheduler (watchdogs, restart backoff, timers, the device drivers'
 * pings and retries — part of the safety path, so its threads are raised, see
 * {@link CpuPriority}), virtual threads for ordinary functions, and platform threads for the
 * functions on the safety path. Thread-safe; {@link #close()} once.
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

    /** Creates the host's executors. */
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
