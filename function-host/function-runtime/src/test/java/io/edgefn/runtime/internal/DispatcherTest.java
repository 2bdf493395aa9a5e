package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dispatcher with a handler the test completes by hand: each message's stage stays open until
 * the test says so, so what the dispatcher does meanwhile is observed without sleeps.
 */
@Timeout(30) // a hang guard: every wait below ends on an event the test causes
class DispatcherTest {

    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    /** What the handler was given, in order, with the stage to complete it. */
    private final LinkedBlockingQueue<Handled> handled = new LinkedBlockingQueue<>();
    private final List<String> order = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    private record Handled(String body, CompletableFuture<Void> done) {
    }

    private final Function<InputQueue.Entry, CompletionStage<?>> handler = entry -> {
        CompletableFuture<Void> done = new CompletableFuture<>();
        order.add(entry.message().bodyAsString());
        handled.add(new Handled(entry.message().bodyAsString(), done));
        return done;
    };

    private Dispatcher dispatcher(int maxConcurrency, int capacity) {
        Dispatcher d = new Dispatcher("f", maxConcurrency, capacity, false, workers, handler, () -> running);
        d.start();
        return d;
    }

    private static void offer(Dispatcher d, String body, int priority) throws InterruptedException {
        assertThat(d.offer(Message.ofText(body), "in", priority, Duration.ZERO, null)).as("offer of " + body).isTrue();
    }

    private Handled next() throws InterruptedException {
        return handled.poll(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        running = false;
        workers.shutdownNow();
    }

    @Test
    void aShutdownQueuedBehindTelemetry_isHandledFirst() throws Exception {
        Dispatcher d = dispatcher(1, 16);
        offer(d, "busy", 5);
        Handled busy = next();
        offer(d, "telemetry-1", 5);
        offer(d, "telemetry-2", 5);
        offer(d, "shutdown", 0);

        busy.done().complete(null);
        next().done().complete(null);
        next().done().complete(null);
        next().done().complete(null);

        assertThat(order).containsExactly("busy", "shutdown", "telemetry-1", "telemetry-2");
    }

    @Test
    void aPermitIsHeldUntilTheStageCompletes_soARetryKeepsTheMessagesPlace() throws Exception {
        Dispatcher d = dispatcher(1, 16);
        offer(d, "first", 5);
        Handled first = next();
        offer(d, "second", 5);

        assertThat(handled.poll(200, TimeUnit.MILLISECONDS)).as("nothing else runs while the first is open").isNull();
        first.done().complete(null);
        assertThat(next().body()).isEqualTo("second");
    }

    @Test
    void concurrency_neverExceedsThePermits() throws Exception {
        Dispatcher d = dispatcher(2, 16);
        for (int i = 0; i < 5; i++) {
            offer(d, "m" + i, 5);
        }
        Handled a = next();
        Handled b = next();

        assertThat(handled.poll(200, TimeUnit.MILLISECONDS)).as("a third while two run").isNull();
        a.done().complete(null);
        next().done().complete(null);
        b.done().complete(null);
        next().done().complete(null);
        next().done().complete(null);
        await().until(d::idle);
    }

    @Test
    void aFullQueue_refusesAnOfferThatMayNotWait_andSaysItIsCongestedFirst() throws Exception {
        Dispatcher d = dispatcher(1, 4);
        offer(d, "busy", 5);
        Handled busy = next();
        offer(d, "q1", 5);
        offer(d, "q2", 5);
        offer(d, "q3", 5);
        assertThat(d.congested()).as("3 of 4 is not more than three quarters").isFalse();
        offer(d, "q4", 5);
        assertThat(d.congested()).isTrue();

        assertThat(d.offer(Message.ofText("q5"), "in", 5, Duration.ZERO, null)).isFalse();

        AtomicInteger relieved = new AtomicInteger();
        d.whenRelieved(relieved::incrementAndGet);
        assertThat(relieved).hasValue(0);
        busy.done().complete(null);
        Handled q1 = next(); // q1 taken, still running: 3 queued
        assertThat(relieved).hasValue(0);
        q1.done().complete(null);
        next().done().complete(null); // q2 taken when q1 is done: 2 of 4 queued, half
        await().until(() -> relieved.get() == 1);
    }

    @Test
    void aTick_isSkippedWhileThePreviousWorkRuns() throws Exception {
        Dispatcher d = dispatcher(1, 4);
        CompletableFuture<Void> tickWork = new CompletableFuture<>();
        AtomicInteger ticks = new AtomicInteger();

        assertThat(d.tick(() -> {
            ticks.incrementAndGet();
            return tickWork;
        })).isTrue();
        await().until(() -> ticks.get() == 1);
        assertThat(d.tick(() -> CompletableFuture.completedFuture(null))).isFalse();

        tickWork.complete(null);
        await().until(d::idle);
        assertThat(d.tick(() -> CompletableFuture.completedFuture(null))).isTrue();
    }

    @Test
    void awaitIdle_returnsOnceQueuedAndRunningWorkIsDone() throws Exception {
        Dispatcher d = dispatcher(1, 4);
        offer(d, "a", 5);
        offer(d, "b", 5);
        Handled a = next();
        assertThat(d.awaitIdle(System.nanoTime())).isFalse();

        a.done().complete(null);
        next().done().complete(null);

        assertThat(d.awaitIdle(System.nanoTime() + TimeUnit.SECONDS.toNanos(10))).isTrue();
    }

    @Test
    void drainThenAbandon_givesUpWhatIsStillQueued() throws Exception {
        Dispatcher d = dispatcher(1, 4);
        offer(d, "running", 5);
        Handled first = next();
        offer(d, "queued", 5);
        running = false;
        d.closeQueue();

        assertThat(d.drain(Duration.ofMillis(50))).isFalse();
        d.abandon(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        first.done().complete(null);

        assertThat(d.abandoned()).isTrue();
        assertThat(d.offer(Message.ofText("late"), "in", 5, Duration.ZERO, null)).isFalse();
        assertThat(order).containsExactly("running");
    }
}
