package io.edgefn.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefn.testing.ManualClock;
import io.edgefn.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class TimerSchedulerTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Executor DIRECT = Runnable::run;

    private final ManualClock clock = new ManualClock(START);
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final List<String> failures = new CopyOnWriteArrayList<>();

    private TimerScheduler timers(Executor tickExecutor) {
        return new TimerScheduler(scheduler, tickExecutor, clock,
                (name, error) -> failures.add(name + ": " + error.getMessage()));
    }

    @Test
    void start_fixedRate_ticksEveryPeriodWithoutDrift() {
        List<Instant> times = new ArrayList<>();
        TimerScheduler.Timer timer = timers(DIRECT)
                .start("rate", Schedule.parse("PT1S", null), () -> times.add(clock.instant()));

        clock.advance(Duration.ofMillis(3500));

        assertThat(times).containsExactly(START.plusSeconds(1), START.plusSeconds(2), START.plusSeconds(3));
        assertThat(timer.ticks()).isEqualTo(3);
        assertThat(timer.skipped()).isZero();
        assertThat(timer.nextTick()).contains(START.plusSeconds(4));
    }

    @Test
    void start_cron_ticksAtMatchingTimes() {
        clock.set(START.plusSeconds(3));
        List<Instant> times = new ArrayList<>();
        timers(DIRECT).start("cron", Schedule.parse("", "*/10 * * * * *"), () -> times.add(clock.instant()));

        clock.advance(Duration.ofSeconds(32));

        assertThat(times).containsExactly(START.plusSeconds(10), START.plusSeconds(20), START.plusSeconds(30));
    }

    @Test
    void fire_whilePreviousTickRuns_isSkippedAndCounted() {
        HeldExecutor held = new HeldExecutor();
        List<Instant> ran = new ArrayList<>();
        TimerScheduler.Timer timer = timers(held)
                .start("slow", Schedule.parse("PT1S", null), () -> ran.add(clock.instant()));

        clock.advance(Duration.ofSeconds(1));
        assertThat(held.size()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));

        assertThat(timer.ticks()).isEqualTo(1);
        assertThat(timer.skipped()).isEqualTo(2);
        assertThat(held.size()).isEqualTo(1);

        held.runAll();
        clock.advance(Duration.ofSeconds(1));

        assertThat(timer.ticks()).isEqualTo(2);
        assertThat(timer.skipped()).isEqualTo(2);
        assertThat(held.size()).isEqualTo(1);
    }

    @Test
    void fire_tickThrows_isCountedReportedAndTimerContinues() {
        int[] calls = {0};
        TimerScheduler.Timer timer = timers(DIRECT).start("boom", Schedule.parse("PT1S", null), () -> {
            calls[0]++;
            throw new IllegalStateException("tick " + calls[0] + " failed");
        });

        clock.advance(Duration.ofSeconds(2));

        assertThat(calls[0]).isEqualTo(2);
        assertThat(timer.failures()).isEqualTo(2);
        assertThat(failures).containsExactly("boom: tick 1 failed", "boom: tick 2 failed");
    }

    @Test
    void fire_tickExecutorRefuses_isCountedAsFailure() {
        Executor refusing = command -> {
            throw new java.util.concurrent.RejectedExecutionException("executor shut down");
        };
        TimerScheduler.Timer timer = timers(refusing).start("refused", Schedule.parse("PT1S", null), () -> { });

        clock.advance(Duration.ofSeconds(2));

        assertThat(timer.failures()).isEqualTo(2);
        assertThat(failures).containsExactly("refused: executor shut down", "refused: executor shut down");
        assertThat(timer.nextTick()).contains(START.plusSeconds(3));
    }

    @Test
    void fire_tickThrowsAnError_isCountedReportedAndTimerContinues() {
        int[] calls = {0};
        TimerScheduler.Timer timer = timers(DIRECT).start("oom", Schedule.parse("PT1S", null), () -> {
            calls[0]++;
            throw new OutOfMemoryError("test " + calls[0]);
        });

        clock.advance(Duration.ofSeconds(3));

        assertThat(calls[0]).isEqualTo(3);
        assertThat(timer.failures()).isEqualTo(3);
        assertThat(failures).containsExactly("oom: test 1", "oom: test 2", "oom: test 3");
        assertThat(timer.nextTick()).contains(START.plusSeconds(4));
    }

    @Test
    void fire_tickExecutorThrowsAnError_isCountedAndTimerContinues() {
        // What a pool does when no thread can be started: the JVM's OutOfMemoryError, not a rejection.
        int[] calls = {0};
        Executor failingOnce = command -> {
            if (calls[0]++ == 0) {
                throw new OutOfMemoryError("unable to create native thread");
            }
            command.run();
        };
        int[] ran = {0};
        TimerScheduler.Timer timer = timers(failingOnce).start("threads", Schedule.parse("PT1S", null), () -> ran[0]++);

        clock.advance(Duration.ofSeconds(3));

        assertThat(ran[0]).as("ticks after the failed one").isEqualTo(2);
        assertThat(timer.failures()).isEqualTo(1);
        assertThat(failures).containsExactly("threads: unable to create native thread");
        assertThat(timer.nextTick()).contains(START.plusSeconds(4));
    }

    @Test
    void fire_failureHandlerThrowsAnError_timerContinues() {
        TimerScheduler timers = new TimerScheduler(scheduler, DIRECT, clock, (name, error) -> {
            throw new OutOfMemoryError("no memory left to log " + name);
        });
        int[] calls = {0};
        TimerScheduler.Timer timer = timers.start("logless", Schedule.parse("PT1S", null), () -> {
            calls[0]++;
            throw new IllegalStateException("tick failed");
        });

        clock.advance(Duration.ofSeconds(3));

        assertThat(calls[0]).isEqualTo(3);
        assertThat(timer.failures()).isEqualTo(3);
        assertThat(timer.nextTick()).contains(START.plusSeconds(4));
    }

    @Test
    void fire_schedulerLate_skipsMissedTicksInsteadOfBursting() {
        List<Instant> ran = new ArrayList<>();
        TimerScheduler.Timer timer = timers(DIRECT)
                .start("late", Schedule.parse("PT1S", null), () -> ran.add(clock.instant()));

        clock.set(START.plusMillis(5500));
        scheduler.runDue();

        assertThat(ran).hasSize(1);
        assertThat(timer.ticks()).isEqualTo(1);
        assertThat(timer.skipped()).isEqualTo(4);
        assertThat(timer.nextTick()).contains(START.plusSeconds(6));
    }

    @Test
    void cancel_stopsFutureTicks() {
        int[] calls = {0};
        TimerScheduler.Timer timer = timers(DIRECT).start("c", Schedule.parse("PT1S", null), () -> calls[0]++);
        clock.advance(Duration.ofSeconds(1));

        timer.cancel();
        clock.advance(Duration.ofSeconds(5));

        assertThat(calls[0]).isEqualTo(1);
        assertThat(timer.isCancelled()).isTrue();
        assertThat(timer.nextTick()).isEmpty();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void close_cancelsEveryTimerAndRefusesNewOnes() {
        TimerScheduler timers = timers(DIRECT);
        TimerScheduler.Timer a = timers.start("a", Schedule.parse("PT1S", null), () -> { });
        TimerScheduler.Timer b = timers.start("b", Schedule.parse("", "0 * * * * *"), () -> { });

        timers.close();

        assertThat(a.isCancelled()).isTrue();
        assertThat(b.isCancelled()).isTrue();
        assertThat(scheduler.pending()).isZero();
        assertThatThrownBy(() -> timers.start("c", Schedule.parse("PT1S", null), () -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed")
                .hasMessageContaining("c");
    }

    @Test
    void start_scheduleThatNeverFires_hasNoNextTick() {
        TimerScheduler.Timer timer = timers(DIRECT).start("never", Schedule.parse("", "0 0 0 30 2 *"), () -> { });

        assertThat(timer.nextTick()).isEmpty();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void start_realExecutors_ticksOnTheirThreads() throws Exception {
        var real = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try (var virtual = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
                TimerScheduler timers = new TimerScheduler(real, virtual, java.time.InstantSource.system(),
                        (n, e) -> failures.add(n))) {
            java.util.concurrent.CountDownLatch three = new java.util.concurrent.CountDownLatch(3);
            timers.start("real", Schedule.parse("PT0.01S", null), three::countDown);
            assertThat(three.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } finally {
            real.shutdownNow();
        }
        assertThat(failures).isEmpty();
    }
}
