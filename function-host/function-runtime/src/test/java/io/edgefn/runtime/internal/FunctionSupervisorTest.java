package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.runtime.FunctionState;
import io.edgefn.runtime.HostListener;
import io.edgefn.runtime.RestartPolicy;
import io.edgefn.testing.ManualClock;
import io.edgefn.testing.ManualScheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Start attempts under the start timeout, timed by a manual clock; constructors on real threads. */
@Timeout(30) // a hang guard: every wait below ends on an event the test causes
class FunctionSupervisorTest {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final FunctionCounters counters = new FunctionCounters();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean gaveUp = new AtomicBoolean();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private FunctionSupervisor supervisor(Supplier<Object> constructor) {
        return new FunctionSupervisor("f", constructor, RestartPolicy.DEFAULT, START_TIMEOUT, scheduler, executor,
                new HostListener() { }, counters, new FunctionSupervisor.Transitions() {
                    @Override
                    public void running() {
                        running.set(true);
                    }

                    @Override
                    public void gaveUp() {
                        gaveUp.set(true);
                    }
                }, clock);
    }

    @Test
    void start_constructorReturns_isRunning() throws Exception {
        FunctionSupervisor s = supervisor(Object::new);

        assertThat(s.start().get(10, TimeUnit.SECONDS)).isEqualTo(FunctionState.RUNNING);
        assertThat(running).isTrue();
        assertThat(s.bean()).isNotNull();
        assertThat(scheduler.pending()).as("the start's watchdog is cancelled").isZero();
    }

    @Test
    void start_runsTheConstructorOffTheCallersThread() throws Exception {
        Thread caller = Thread.currentThread();
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        FunctionSupervisor s = supervisor(() -> {
            ranOn.complete(Thread.currentThread());
            return new Object();
        });

        s.start().get(10, TimeUnit.SECONDS);

        assertThat(ranOn.get()).isNotSameAs(caller);
    }

    @Test
    void start_constructorBlocksPastTheTimeout_isFailedAndInterrupted_andItsLateReturnChangesNothing() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        FunctionSupervisor s = supervisor(() -> {
            entered.countDown();
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted.countDown(); // and goes on waiting: deaf to it
                }
            }
            returned.countDown();
            return new Object();
        });
        CompletableFuture<FunctionState> started = s.start();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        clock.advance(START_TIMEOUT.minusMillis(1));
        assertThat(started).isNotDone();
        clock.advance(Duration.ofMillis(1));

        assertThat(started.get(10, TimeUnit.SECONDS)).isEqualTo(FunctionState.FAILED);
        assertThat(s.state()).isEqualTo(FunctionState.FAILED);
        assertThat(gaveUp).isTrue();
        assertThat(counters.lastProblem).contains("did not return within the start timeout of 5000 ms");
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the constructor's thread was interrupted").isTrue();

        release.countDown();
        assertThat(returned.await(10, TimeUnit.SECONDS)).isTrue();
        executor.shutdown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(s.state()).isEqualTo(FunctionState.FAILED);
        assertThat(running).isFalse();
        assertThat(s.bean()).isNull();
    }

    @Test
    void startTimedOut_whileTheConstructorRuns_failsTheFunctionWithoutTheScheduler() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FunctionSupervisor s = supervisor(() -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted", e);
            }
            return new Object();
        });
        CompletableFuture<FunctionState> started = s.start();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        s.startTimedOut();

        assertThat(started.get(10, TimeUnit.SECONDS)).isEqualTo(FunctionState.FAILED);
        assertThat(counters.lastProblem).contains("start timeout");
    }

    @Test
    void start_constructorThrows_backsOffAsBefore() throws Exception {
        FunctionSupervisor s = supervisor(() -> {
            throw new IllegalStateException("cannot reach the PLC");
        });

        assertThat(s.start().get(10, TimeUnit.SECONDS)).isEqualTo(FunctionState.BACKING_OFF);
        assertThat(counters.lastProblem).contains("cannot reach the PLC");
    }

    @Test
    void start_constructorThrowsOnceThenReturns_countsOneRestartAndTimesTheExitAndTheStart() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        FunctionSupervisor s = supervisor(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("cannot reach the PLC");
            }
            return new Object();
        });
        java.time.Instant failedAt = clock.instant();

        assertThat(s.start().get(10, TimeUnit.SECONDS)).isEqualTo(FunctionState.BACKING_OFF);
        assertThat(counters.lastExit).isEqualTo(failedAt);
        assertThat(counters.lastExitReason).contains("cannot reach the PLC");
        assertThat(counters.restarts.get()).isZero();

        clock.advance(RestartPolicy.DEFAULT.delayAfter(1)); // the backoff: the restart runs on the executor
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> s.state() == FunctionState.RUNNING);

        assertThat(counters.restarts.get()).isEqualTo(1);
        assertThat(counters.lastStart).isEqualTo(failedAt.plus(RestartPolicy.DEFAULT.delayAfter(1)));
        assertThat(counters.lastExit).as("unchanged by the successful start").isEqualTo(failedAt);

        s.beginStop();
        assertThat(counters.lastExitReason).isEqualTo("stopped");
    }
}
