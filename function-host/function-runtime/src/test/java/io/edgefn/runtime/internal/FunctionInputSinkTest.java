package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.bindings.BodyCodec;
import io.edgefn.runtime.HostListener;
import io.edgefn.runtime.RestartPolicy;
import io.edgefn.runtime.RetryPolicy;
import io.edgefn.testing.ManualClock;
import io.edgefn.testing.ManualScheduler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A function's input as each kind of producer meets it when the queue is full. The functions are
 * never started, so nothing drains their queues: a producer that waited would wait for good.
 */
@Timeout(30) // a hang guard: the test fails if a producer that must not wait does
class FunctionInputSinkTest {

    private static final Duration AN_HOUR = Duration.ofHours(1);

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final HostServices host = new HostServices("gw", clock, scheduler, workers, workers, new BodyCodec(), null,
            new Ingress(clock, new HostListener() { }), new HostListener() { }, RestartPolicy.DEFAULT, Duration.ofSeconds(5),
            Duration.ofSeconds(10));

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    private FunctionRuntime function(String name, boolean safetyCritical) {
        FunctionSpec spec = new FunctionSpec(name, 1, 1_000, RetryPolicy.NONE, 1, null, safetyCritical);
        return new FunctionRuntime(spec, Object::new, Map.of("in", new BoundMethod("on", null, null, null, "in")), host);
    }

    private static FunctionInputSink sink(FunctionRuntime f) {
        return new FunctionInputSink(f, "in", "/modules/" + f.name() + "/inputs/in", AN_HOUR);
    }

    @Test
    void aDevicesReader_neverWaitsForAnOrdinaryFunctionsFullQueue() {
        FunctionInputSink analytics = sink(function("analytics", false));
        assertThat(analytics.accept(Message.ofText("fills the queue"), 5, 0, Patience.SAFETY_PATH)).isCompleted();

        CompletableFuture<Void> refused = analytics.accept(Message.ofText("no room"), 5, 0, Patience.SAFETY_PATH);

        assertThat(refused).isCompletedExceptionally();
        assertThat(refused.exceptionNow()).hasMessageContaining("/modules/analytics/inputs/in")
                .hasMessageContaining("stayed full for 0 ms");
    }

    @Test
    void anEventLoop_neverWaits_evenForTheSafetyPath() {
        FunctionInputSink shutdown = sink(function("shutdown", true));
        shutdown.accept(Message.ofText("fills the queue"), 0, 0, Patience.NONE);

        assertThat(shutdown.accept(Message.ofText("no room"), 0, 0, Patience.NONE)).isCompletedExceptionally();
        assertThat(shutdown.congested()).isTrue();
    }

    @Test
    void aDevicesReader_waitsForTheSafetyPath_untilTheFunctionStops() throws Exception {
        FunctionRuntime shutdownFunction = function("shutdown", true);
        FunctionInputSink shutdown = sink(shutdownFunction);
        shutdown.accept(Message.ofText("fills the queue"), 0, 0, Patience.SAFETY_PATH);
        CompletableFuture<CompletableFuture<Void>> second = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().start(
                () -> second.complete(shutdown.accept(Message.ofText("waits"), 0, 0, Patience.SAFETY_PATH)));

        await().until(() -> reader.getState() == Thread.State.TIMED_WAITING);
        assertThat(second).isNotDone();
        shutdownFunction.stop(Duration.ZERO, System.nanoTime()); // closes the queue: the waiting producer is refused

        assertThat(second.get()).isCompletedExceptionally();
        assertThat(second.get().exceptionNow()).hasMessageContaining("takes no messages");
    }

    @Test
    void aThreadThatMayWait_waitsForAnOrdinaryFunctionToo() {
        FunctionRuntime analyticsFunction = function("analytics", false);
        FunctionInputSink analytics = sink(analyticsFunction);
        analytics.accept(Message.ofText("fills the queue"), 5, 0, Patience.QUEUE_WAIT);
        CompletableFuture<CompletableFuture<Void>> second = new CompletableFuture<>();
        Thread invoker = Thread.ofPlatform().start(
                () -> second.complete(analytics.accept(Message.ofText("waits"), 5, 0, Patience.QUEUE_WAIT)));

        await().until(() -> invoker.getState() == Thread.State.TIMED_WAITING);
        analyticsFunction.stop(Duration.ZERO, System.nanoTime());

        assertThat(second.join()).isCompletedExceptionally();
    }
}
