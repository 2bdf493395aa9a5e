package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.bindings.BodyCodec;
import io.edgefn.bindings.ParameterBinder;
import io.edgefn.runtime.FunctionState;
import io.edgefn.runtime.HostListener;
import io.edgefn.runtime.RestartPolicy;
import io.edgefn.runtime.RetryPolicy;
import io.edgefn.testing.ManualClock;
import io.edgefn.testing.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code @OnStart} in the start attempt and {@code @OnStop} after the drain, timed by a manual clock. */
@Timeout(30) // a hang guard: every wait below ends on an event the test causes
class LifecycleHooksTest {

    private static final long TIMEOUT_MILLIS = 2_000;

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Ingress ingress = new Ingress(clock, new HostListener() { });
    /** What happened, in order: "new", "start", "message", "stop". */
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger instances = new AtomicInteger();

    @AfterEach
    void shutdown() {
        executor.shutdownNow();
    }

    private static BoundMethod bound(String name, MethodTarget target, String input) {
        return new BoundMethod(name, target, new ParameterBinder[0], null, input);
    }

    private FunctionRuntime runtime(MethodTarget onStart, MethodTarget onStop) {
        HostServices host = new HostServices("gw", clock, scheduler, executor, executor, new BodyCodec(), null, ingress,
                new HostListener() { }, RestartPolicy.DEFAULT, Duration.ofSeconds(5), Duration.ofSeconds(30));
        MethodTarget onIn = (bean, args) -> events.add("message");
        return new FunctionRuntime(new FunctionSpec("f", 1, TIMEOUT_MILLIS, RetryPolicy.NONE, 8, null, false), () -> {
            instances.incrementAndGet();
            events.add("new");
            return new Object();
        }, Map.of("in", bound("onIn", onIn, "in")), Map.of(), null,
                new FunctionRuntime.Hooks(onStart == null ? null : bound("open", onStart, null),
                        onStop == null ? null : bound("close", onStop, null)), host);
    }

    private static Message message() {
        return Message.builder().body("reading").build();
    }

    @Test
    void onStart_runsAfterTheInstanceIsCreated_andBeforeTheFunctionTakesWork() throws Exception {
        CountDownLatch inStart = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FunctionRuntime f = runtime((bean, args) -> {
            events.add("start");
            inStart.countDown();
            release.await();
            return null;
        }, null);

        var started = f.start();
        assertThat(inStart.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(f.state()).isEqualTo(FunctionState.STARTING);
        assertThat(f.offer(message(), "in", 5, Duration.ZERO, null)).as("queued while the hook runs").isTrue();
        assertThat(events).containsExactly("new", "start");
        release.countDown();

        assertThat(started.get(10, TimeUnit.SECONDS)).isEqualTo(FunctionState.RUNNING);
        await().until(() -> events.contains("message"));
        assertThat(events).containsExactly("new", "start", "message");
    }

    @Test
    void onStartThatThrows_failsTheStart_whichIsRetriedWithANewInstancePerTheRestartPolicy() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        FunctionRuntime f = runtime((bean, args) -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("model file missing");
            }
            return null;
        }, null);

        assertThat(f.start().get(10, TimeUnit.SECONDS)).isEqualTo(FunctionState.BACKING_OFF);
        assertThat(f.stats().lastProblem()).contains("@OnStart method open threw").contains("model file missing");
        clock.advance(RestartPolicy.DEFAULT.initialDelay());

        await().until(() -> f.state() == FunctionState.RUNNING);
        assertThat(instances).hasValue(2);
        assertThat(f.stats().restartCount()).isEqualTo(1);
    }

    @Test
    void onStop_runsAfterTheInFlightWorkDrained_andAThrowIsCountedButTheStopGoesOn() throws Exception {
        FunctionRuntime f = runtime(null, (bean, args) -> {
            events.add("stop");
            throw new IllegalStateException("flush failed");
        });
        f.start().get(10, TimeUnit.SECONDS);
        f.offer(message(), "in", 5, Duration.ZERO, null);

        f.stop(Duration.ofSeconds(10), System.nanoTime() + TimeUnit.SECONDS.toNanos(10));

        assertThat(events).containsExactly("new", "message", "stop");
        assertThat(f.state()).isEqualTo(FunctionState.STOPPED);
        assertThat(f.stats().failures()).isEqualTo(1);
        assertThat(f.stats().lastProblem()).contains("@OnStop method close failed").contains("flush failed");
    }

    @Test
    void onStop_pastTheFunctionsTimeout_isInterrupted_andTheStopGoesOn() throws Exception {
        CountDownLatch inStop = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        FunctionRuntime f = runtime(null, (bean, args) -> {
            inStop.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return null;
        });
        f.start().get(10, TimeUnit.SECONDS);
        Thread stopper = Thread.ofPlatform().start(() -> f.stop(Duration.ofSeconds(10),
                System.nanoTime() + TimeUnit.SECONDS.toNanos(10)));
        assertThat(inStop.await(10, TimeUnit.SECONDS)).isTrue();

        clock.advance(Duration.ofMillis(TIMEOUT_MILLIS - 1));
        assertThat(stopper.isAlive()).as("within its time").isTrue();
        clock.advance(Duration.ofMillis(1));

        stopper.join(10_000);
        assertThat(stopper.isAlive()).isFalse();
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(f.state()).isEqualTo(FunctionState.STOPPED);
        assertThat(f.stats().lastProblem()).contains("did not return within 2000 ms");
    }

    @Test
    void onStop_neverRunsForAFunctionThatNeverStarted() throws Exception {
        FunctionRuntime f = runtime((bean, args) -> {
            throw new IllegalStateException("no");
        }, (bean, args) -> events.add("stop"));
        f.start().get(10, TimeUnit.SECONDS);

        f.stop(Duration.ofSeconds(1), System.nanoTime() + TimeUnit.SECONDS.toNanos(1));

        assertThat(events).doesNotContain("stop");
    }
}
