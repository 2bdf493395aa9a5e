package io.edgefn.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the safety path the CPU first, on Linux: threads of ordinary functions (their platform
 * threads, or the carriers of the virtual threads of executors given to the host) run at nice
 * {@value #ORDINARY_NICE}, and the safety path's threads —
 * device readers, its dispatchers, the scheduler that times command retries — at nice
 * {@value #SAFETY_NICE} where the process may raise priority (root or CAP_SYS_NICE).
 *
 * <p>Why: Java thread priorities are ignored on Linux, so a function spinning on both cores got
 * as much CPU as the thread carrying a shutdown command, and each of the path's wake-ups waited
 * for a core (measured: p99 of the control loop 5–30 ms with a CPU burner, under 2 ms without).
 * Lowering ordinary work needs no privilege; raising the safety path does, and is skipped with
 * one log line when not allowed.
 *
 * <p>A thread's own id comes from {@code /proc/thread-self}; read from a virtual thread it names
 * the carrier. The nice value is set with util-linux {@code renice} (a platform thread is raised once; a carrier is lowered when it is found not to be). Elsewhere
 * than Linux, or without {@code renice}, nothing changes. Thread-safe.
 */
public final class CpuPriority {

    static final int ORDINARY_NICE = 10;
    static final int SAFETY_NICE = -10;
    /** Linux's SCHED_IDLE scheduling policy, as {@code /proc/…/stat} shows it. */
    static final int SCHED_IDLE = 5;

    private static final Logger LOG = LoggerFactory.getLogger(CpuPriority.class);
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");
    private static final boolean AVAILABLE = Files.exists(THREAD_SELF)
            && (Files.isExecutable(Path.of("/usr/bin/renice")) || Files.isExecutable(Path.of("/bin/renice")));
    private static final AtomicBoolean RAISE_REFUSED = new AtomicBoolean();
    private static final ThreadLocal<Boolean> RAISED = ThreadLocal.withInitial(() -> false);

    private CpuPriority() {
    }

    /**
     * Lowers the OS thread running the caller (for a virtual thread: its carrier) unless it is low
     * already — read from {@code /proc/thread-self/stat}, not remembered, because carriers come and
     * go and thread ids are reused.
     */
    static void lowerCurrentThread() {
        // Called per ordinary invocation: read /proc at most every 20 ms. Carriers are few and
        // long-lived, so every one is still found and lowered soon after it first runs a function.
        long now = System.nanoTime();
        if (!AVAILABLE || now - lastLowerCheck < LOWER_CHECK_INTERVAL_NANOS) {
            return;
        }
        lastLowerCheck = now;
        lowerCurrentThreadNow();
    }

    /** Lowers the calling OS thread now unless it is low already (no rate limit). */
    static void lowerCurrentThreadNow() {
        if (AVAILABLE && currentNice() != ORDINARY_NICE) {
            set(ORDINARY_NICE, true);
        }
    }

    private static final long LOWER_CHECK_INTERVAL_NANOS = 20_000_000L;
    private static volatile long lastLowerCheck = System.nanoTime() - LOWER_CHECK_INTERVAL_NANOS;

    /** The calling OS thread's nice value, or {@link Integer#MIN_VALUE} when it cannot be read. */
    static int currentNice() {
        return statField(19); // "nice"
    }

    /** The calling OS thread's scheduling policy ({@link #SCHED_IDLE}, 0 for SCHED_OTHER), or {@link Integer#MIN_VALUE}. */
    static int currentPolicy() {
        return statField(41); // "policy"
    }

    private static int statField(int field) {
        try {
            String stat = Files.readString(THREAD_SELF.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[field - 3]); // fields start at 3 after "pid (comm) "
        } catch (IOException | RuntimeException e) {
            return Integer.MIN_VALUE;
        }
    }

    /** Raises the calling platform thread, once per thread; a no-op after the first refusal. */
    static void raiseCurrentThread() {
        if (RAISED.get() || RAISE_REFUSED.get()) {
            return;
        }
        RAISED.set(true);
        if (!set(SAFETY_NICE, false) && RAISE_REFUSED.compareAndSet(false, true)) {
            LOG.info("the safety path's threads run at normal CPU priority: raising it needs root or CAP_SYS_NICE "
                    + "(ordinary functions still run at nice {})", ORDINARY_NICE);
        }
    }

    /**
     * Wraps {@code task} so that the platform thread running it is lowered first: the threads of
     * ordinary functions (their dispatchers and workers), lowered once when they start.
     */
    public static Runnable lowered(Runnable task) {
        return () -> {
            lowerCurrentThreadNow();
            task.run();
        };
    }

    /** Wraps {@code task} so that the platform thread running it is raised first. */
    public static Runnable raised(Runnable task) {
        return () -> {
            raiseCurrentThread();
            task.run();
        };
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() == 0) {
                return true;
            }
            return false;
        } finally {
            process.destroyForcibly(); // a no-op once it has exited; never leave one behind
        }
    }

    private static boolean set(int nice, boolean idlePolicy) {
        if (!AVAILABLE) {
            return false;
        }
        long tid;
        try {
            String link = Files.readSymbolicLink(THREAD_SELF).toString(); // "<pid>/task/<tid>"
            tid = Long.parseLong(link.substring(link.lastIndexOf('/') + 1));
        } catch (IOException | RuntimeException e) {
            return false;
        }
        try {
            if (run("renice", "-n", Integer.toString(nice), "-p", Long.toString(tid))) {
                if (idlePolicy) {
                    // SCHED_IDLE: any normal thread that wakes up preempts it at once, rather than at
                    // the next scheduler tick (up to 4 ms), which is what a lower nice alone gives.
                    run("chrt", "--idle", "-p", "0", Long.toString(tid));
                } else if (currentPolicy() == SCHED_IDLE) {
                    // A thread inherits its policy from the thread that started it: one started by
                    // an ordinary function's (lowered) thread would stay SCHED_IDLE, where nice
                    // counts for nothing.
                    run("chrt", "--other", "-p", "0", Long.toString(tid));
                }
                return true;
            }
        } catch (IOException e) {
            // No renice after all: leave the thread as it is.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
