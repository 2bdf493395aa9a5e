package io.edgefn.runtime;

import io.edgefn.runtime.internal.CpuPriority;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The host's threads: a small scheduler (watchdogs, retry and restart backoff, timers, the device
 * drivers' pings and retries — part of the safety path, so its threads are raised, see
 * {@link CpuPriority}), lowered platform threads for ordinary functions, and raised platform
 * threads for the functions on the safety path (which also complete device commands, off the
 * serial reader).
 *
 * <p>Why ordinary functions do not run on virtual threads: a virtual thread is never preempted, so
 * an invocation that spins and ignores its interrupt keeps its carrier for good, and the few
 * carriers (one per core) are what every other virtual thread needs — on one core, a single stuck
 * function stopped every other function. A platform thread is preempted by the kernel: a stuck
 * invocation costs one thread and its function's permit, and the others keep their share of the
 * CPU. The pool is unbounded but holds at most one thread per running invocation, which the
 * functions' concurrency limits bound; idle threads are kept five minutes (see
 * {@code docs/ARCHITECTURE.md}, "Threads").
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

    /**
     * The production executors: a raised two-thread scheduler, lowered platform workers, raised
     * platform safety workers; every thread a daemon, so that an invocation that never returns
     * cannot keep the process alive.
     */
    public static HostExecutors create() {
        AtomicInteger schedulerThreads = new AtomicInteger();
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(CpuPriority.raised(r), "edgefn-scheduler-" + schedulerThreads.incrementAndGet());
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        // Now, on the host's starting thread: a thread inherits the CPU priority of the one that
        // starts it, and the first schedule() may come from an ordinary function's lowered thread.
        scheduler.prestartAllCoreThreads();
        // Pooled: a thread sets its priority once (a process spawn), then is reused.
        ThreadFactory ordinary = Thread.ofPlatform().daemon().name("edgefn-fn-", 0).factory();
        ThreadFactory safety = Thread.ofPlatform().daemon().priority(Thread.MAX_PRIORITY).name("edgefn-safety-", 0).factory();
        return new HostExecutors(scheduler,
                new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.MINUTES, new SynchronousQueue<>(),
                        task -> ordinary.newThread(CpuPriority.lowered(task))),
                Executors.newCachedThreadPool(task -> safety.newThread(CpuPriority.raised(task))));
    }

    /** Timers of the host and its drivers. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Ordinary functions' invocations (lowered platform threads). */
    public ExecutorService workers() {
        return workers;
    }

    /** Safety-path functions' invocations (platform threads). */
    public ExecutorService safetyWorkers() {
        return safetyWorkers;
    }

    /**
     * Lets running work finish for up to a second in all, then stops everything: what still runs
     * is interrupted and abandoned (an invocation that ignores its interrupt keeps its daemon
     * thread), never waited for.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        workers.shutdown();
        safetyWorkers.shutdown();
        await(workers, deadline);
        await(safetyWorkers, deadline);
        scheduler.shutdownNow();
    }

    private static void await(ExecutorService executor, long deadline) {
        try {
            if (!executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
