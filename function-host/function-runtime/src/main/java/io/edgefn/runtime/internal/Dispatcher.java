package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one function its work: a bounded priority {@link InputQueue}, {@code maxConcurrency}
 * permits, and one dispatcher thread that waits for a message, takes a permit, then the queue's
 * most urgent message, and hands it to the function's handler. With a concurrency of 1 the dispatcher runs the first
 * attempt itself, saving a thread hand-off on the hot path; otherwise on the function's executor.
 * A permit is held until the handler's stage completes — retries included — so a message keeps
 * its place and the limit holds. Timer ticks take a permit without waiting, or are skipped.
 *
 * <p>The dispatcher thread is a daemon platform thread: raised for functions on the safety path,
 * lowered for the others (see {@link CpuPriority}). Not a virtual one: with a concurrency of 1 it
 * runs user code, and user code that spins must not keep a carrier every other virtual thread
 * needs. A failure in the host's own dispatching (an {@link Error} such as an
 * {@link OutOfMemoryError} included) is logged and the loop goes on: a RUNNING function always has
 * a consumer. Thread-safe: {@link #offer} and {@link #tick} from any thread; {@link #start},
 * {@link #drain} and {@link #abandon} from the function's lifecycle.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String function;
    private final int maxConcurrency;
    private final boolean safetyCritical;
    private final ExecutorService executor;
    private final Function<InputQueue.Entry, CompletionStage<?>> handler;
    private final BooleanSupplier running;
    private final InputQueue queue;
    private final Semaphore permits;
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition becameIdle = idleLock.newCondition();
    private volatile boolean idleWaiters;
    private volatile boolean abandoned;
    private Thread thread;

    /**
     * @param handler processes one entry; its stage completes when the function may take the next
     * @param running whether the function still takes new work (the dispatcher ends when it does
     *                not and the queue is empty)
     */
    Dispatcher(String function, int maxConcurrency, int queueCapacity, boolean safetyCritical, ExecutorService executor,
               Function<InputQueue.Entry, CompletionStage<?>> handler, BooleanSupplier running) {
        this.function = function;
        this.maxConcurrency = maxConcurrency;
        this.safetyCritical = safetyCritical;
        this.executor = executor;
        this.handler = handler;
        this.running = running;
        this.queue = new InputQueue(queueCapacity);
        this.permits = new Semaphore(maxConcurrency);
    }

    /** Starts the dispatcher thread; once. */
    synchronized void start() {
        thread = Thread.ofPlatform().daemon().priority(safetyCritical ? Thread.MAX_PRIORITY : Thread.NORM_PRIORITY)
                .name("edgefn-dispatch-" + function)
                .start(safetyCritical ? CpuPriority.raised(this::dispatchLoop) : CpuPriority.lowered(this::dispatchLoop));
    }

    /** Queues {@code message} for {@code input}, waiting up to {@code wait} for room; false when full or closed. */
    boolean offer(Message message, String input, int priority, Duration wait, Runnable onProcessed) throws InterruptedException {
        return queue.offer(message, input, priority, wait, onProcessed);
    }

    /** Queues the direct method {@code call} at {@code priority} without waiting; false when full or closed. */
    boolean offerCall(MethodCall<?> call, int priority) {
        try {
            return queue.offer(call.payload, null, priority, Duration.ZERO, null, call);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // a zero wait never waits: kept for whoever checks
            return false;
        }
    }

    /** Whether producers should slow down. */
    boolean congested() {
        return queue.congested();
    }

    /** Runs {@code action} once the queue has room again. */
    void whenRelieved(Runnable action) {
        queue.whenRelieved(action);
    }

    /**
     * Runs {@code work} on the function's executor if a permit is free now; false (a skipped
     * tick) when the previous work still runs.
     */
    boolean tick(Supplier<CompletionStage<?>> work) {
        if (!permits.tryAcquire()) {
            return false;
        }
        try {
            executor.execute(() -> runAndRelease(work));
        } catch (RejectedExecutionException e) {
            release(); // the host is stopping
        } catch (Throwable t) {
            release(); // no thread for it (out of memory, say): the tick failed, the permit must not leak
            throw t;
        }
        return true;
    }

    private void dispatchLoop() {
        while (!abandoned) {
            try {
                if (!dispatchNext()) {
                    return;
                }
            } catch (InterruptedException e) {
                if (!abandoned) {
                    // Only a stop may end the dispatcher: a stray interrupt (user code that re-set
                    // its flag, a late watchdog) must not leave a RUNNING function with no consumer.
                    LOG.warn("function {}: its dispatcher was interrupted outside a stop; it goes on", function);
                }
            } catch (Throwable t) {
                if (!abandoned) {
                    LOG.error("function {}: dispatching a message failed in the host; the dispatcher goes on: {}",
                            function, Failures.describe(t));
                }
            }
        }
    }

    /**
     * Waits for a message and hands it to the handler; false when the dispatcher is done (the
     * function stopped taking work and nothing is queued, or the host is stopping).
     */
    private boolean dispatchNext() throws InterruptedException {
        if (!queue.awaitNotEmpty(POLL)) {
            return running.getAsBoolean() || queue.size() > 0;
        }
        // The permit first, then the most urgent entry of that moment: a message that arrives
        // while the function is busy (or waits for a retry) still overtakes less urgent ones.
        // Timer ticks take permits too, without waiting.
        permits.acquire();
        InputQueue.Entry entry;
        try {
            entry = queue.poll(Duration.ZERO);
        } catch (Throwable t) {
            release();
            throw t;
        }
        if (entry == null) {
            release();
            return true;
        }
        if (maxConcurrency == 1) {
            runAndRelease(() -> handler.apply(entry));
            return true;
        }
        try {
            executor.execute(() -> runAndRelease(() -> handler.apply(entry)));
        } catch (RejectedExecutionException e) {
            release();
            return false; // the host is stopping
        } catch (Throwable t) {
            release();
            throw t;
        }
        return true;
    }

    private void runAndRelease(Supplier<CompletionStage<?>> work) {
        try {
            work.get().whenComplete((x, failure) -> release());
        } catch (Throwable t) {
            LOG.error("function {}: dispatching failed in the host: {}", function, Failures.describe(t));
            release();
        }
    }

    private void release() {
        permits.release();
        if (idleWaiters) {
            idleLock.lock();
            try {
                becameIdle.signalAll();
            } finally {
                idleLock.unlock();
            }
        }
    }

    /** Whether nothing is queued or running. */
    boolean idle() {
        return queue.size() == 0 && permits.availablePermits() == maxConcurrency;
    }

    /** Waits until {@link #idle()} or {@code deadline} ({@link System#nanoTime()}) passes; returns whether idle. */
    boolean awaitIdle(long deadline) throws InterruptedException {
        idleLock.lock();
        try {
            idleWaiters = true;
            while (!idle()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // Bounded: a message queued while nothing runs makes the queue non-empty without a release.
                becameIdle.awaitNanos(Math.min(left, POLL.toNanos()));
            }
            return true;
        } finally {
            idleLock.unlock();
        }
    }

    /** Messages waiting. */
    int queued() {
        return queue.size();
    }

    /** Refuses further offers; what is queued can still be taken. */
    void closeQueue() {
        queue.close();
    }

    /**
     * Lets the dispatcher take what is queued and the running work finish, for up to {@code drain};
     * returns whether everything finished in time.
     */
    boolean drain(Duration drain) throws InterruptedException {
        long deadline = System.nanoTime() + drain.toNanos();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.join(Math.max(1, drain.toMillis()));
        }
        long left = Math.max(0, deadline - System.nanoTime());
        if (permits.tryAcquire(maxConcurrency, left, TimeUnit.NANOSECONDS)) {
            permits.release(maxConcurrency);
            return true;
        }
        return false;
    }

    /**
     * Gives up what is still queued — lost if in memory, as in a crash; a durable input keeps it on
     * disk — and ends the dispatcher thread, waiting for it until {@code deadline}
     * ({@link System#nanoTime()}) at most: a dispatcher running a stuck invocation never ends, and
     * is left to it (a daemon thread).
     */
    void abandon(long deadline) throws InterruptedException {
        abandoned = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null && t.isAlive()) {
            t.interrupt();
            long left = deadline - System.nanoTime();
            if (left > 0) {
                t.join(Duration.ofNanos(left));
            }
            if (t.isAlive()) {
                LOG.warn("function {}: its dispatcher did not end when stopped (an invocation ignores its interrupt); "
                        + "it is abandoned", function);
            }
        }
    }

    /** Whether {@link #abandon} ran. */
    boolean abandoned() {
        return abandoned;
    }
}
