package io.edgefn.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final ManualClock clock = new ManualClock(START);
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final List<String> ran = new ArrayList<>();

    private Runnable record(String name) {
        return () -> ran.add(name + "@" + Duration.between(START, clock.instant()).toMillis());
    }

    @Test
    void advance_runsDueTasksInTimeOrderWithTheClockAtEachDueTime() {
        scheduler.schedule(record("c"), 300, TimeUnit.MILLISECONDS);
        scheduler.schedule(record("a"), 100, TimeUnit.MILLISECONDS);
        scheduler.schedule(record("b"), 200, TimeUnit.MILLISECONDS);
        scheduler.schedule(record("late"), 2, TimeUnit.SECONDS);

        assertThat(ran).isEmpty();
        clock.advance(Duration.ofMillis(250));
        assertThat(ran).containsExactly("a@100", "b@200");
        assertThat(clock.instant()).isEqualTo(START.plusMillis(250));

        clock.advance(Duration.ofMillis(100));
        assertThat(ran).containsExactly("a@100", "b@200", "c@300");
        assertThat(scheduler.pending()).isEqualTo(1);
    }

    @Test
    void advance_tasksDueAtTheSameTime_runInTheOrderScheduled() {
        scheduler.schedule(record("first"), 1, TimeUnit.SECONDS);
        scheduler.execute(record("now"));
        scheduler.schedule(record("second"), 1000, TimeUnit.MILLISECONDS);

        clock.advance(Duration.ofSeconds(1));

        assertThat(ran).containsExactly("now@0", "first@1000", "second@1000");
    }

    @Test
    void advance_taskSchedulingAnotherWithinTheWindow_runsItInTheSameAdvance() {
        scheduler.schedule(() -> {
            record("outer").run();
            scheduler.schedule(record("inner"), 50, TimeUnit.MILLISECONDS);
        }, 100, TimeUnit.MILLISECONDS);

        clock.advance(Duration.ofMillis(200));

        assertThat(ran).containsExactly("outer@100", "inner@150");
    }

    @Test
    void scheduleAtFixedRate_repeatsEveryPeriodWithoutDrift() {
        scheduler.scheduleAtFixedRate(record("tick"), 100, 250, TimeUnit.MILLISECONDS);

        clock.advance(Duration.ofSeconds(1));

        assertThat(ran).containsExactly("tick@100", "tick@350", "tick@600", "tick@850");
        assertThat(scheduler.pending()).isEqualTo(1);
    }

    @Test
    void scheduleWithFixedDelay_repeatsADelayAfterEachRunEnds() {
        scheduler.scheduleWithFixedDelay(() -> {
            record("tick").run();
            clock.set(clock.instant().plusMillis(50)); // the run itself takes 50 ms
        }, 0, 200, TimeUnit.MILLISECONDS);

        clock.advance(Duration.ofMillis(600));

        assertThat(ran).containsExactly("tick@0", "tick@250", "tick@500");
    }

    @Test
    void cancel_beforeItsTime_keepsTheTaskFromRunning() {
        ScheduledFuture<?> doomed = scheduler.schedule(record("doomed"), 100, TimeUnit.MILLISECONDS);
        scheduler.schedule(record("kept"), 200, TimeUnit.MILLISECONDS);

        assertThat(doomed.cancel(false)).isTrue();
        clock.advance(Duration.ofSeconds(1));

        assertThat(ran).containsExactly("kept@200");
        assertThat(doomed.isCancelled()).isTrue();
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void cancel_periodicTask_stopsItsRepeats() {
        ScheduledFuture<?> ticks = scheduler.scheduleAtFixedRate(record("tick"), 100, 100, TimeUnit.MILLISECONDS);
        clock.advance(Duration.ofMillis(250));

        ticks.cancel(false);
        clock.advance(Duration.ofSeconds(1));

        assertThat(ran).containsExactly("tick@100", "tick@200");
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void cancel_afterTheTaskRan_returnsFalse() throws Exception {
        ScheduledFuture<String> done = scheduler.schedule(() -> "result", 10, TimeUnit.MILLISECONDS);
        clock.advance(Duration.ofMillis(10));

        assertThat(done.cancel(false)).isFalse();
        assertThat(done.get()).isEqualTo("result");
    }

    @Test
    void set_pastADueTime_runsNothingUntilRunDue() {
        scheduler.schedule(record("stalled"), 1, TimeUnit.SECONDS);

        clock.set(START.plusMillis(5_500));
        assertThat(ran).isEmpty();
        scheduler.runDue();

        assertThat(ran).containsExactly("stalled@5500");
    }

    @Test
    void getDelay_countsDownAsTheClockMoves() {
        ScheduledFuture<?> f = scheduler.schedule(record("x"), 1, TimeUnit.SECONDS);

        clock.advance(Duration.ofMillis(300));

        assertThat(f.getDelay(TimeUnit.MILLISECONDS)).isEqualTo(700);
    }

    @Test
    void taskThatThrows_failsItsFutureAndTheSchedulerGoesOn() {
        ScheduledFuture<?> failing = scheduler.schedule(() -> {
            throw new IllegalStateException("boom");
        }, 10, TimeUnit.MILLISECONDS);
        scheduler.schedule(record("after"), 20, TimeUnit.MILLISECONDS);

        clock.advance(Duration.ofMillis(20));

        assertThatThrownBy(failing::get).isInstanceOf(ExecutionException.class).hasRootCauseMessage("boom");
        assertThat(ran).containsExactly("after@20");
    }

    @Test
    void shutdown_dropsWaitingTasksAndRefusesNewOnes() {
        scheduler.schedule(record("dropped"), 10, TimeUnit.MILLISECONDS);

        scheduler.shutdown();
        clock.advance(Duration.ofSeconds(1));

        assertThat(ran).isEmpty();
        assertThat(scheduler.isShutdown()).isTrue();
        assertThat(scheduler.isTerminated()).isTrue();
        assertThatThrownBy(() -> scheduler.execute(record("refused"))).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void twoSchedulersOnOneClock_runInOneTimeOrder() {
        ManualScheduler other = new ManualScheduler(clock);
        scheduler.schedule(record("a"), 300, TimeUnit.MILLISECONDS);
        other.schedule(record("b"), 100, TimeUnit.MILLISECONDS);
        scheduler.schedule(record("c"), 200, TimeUnit.MILLISECONDS);

        clock.advance(Duration.ofSeconds(1));

        assertThat(ran).containsExactly("b@100", "c@200", "a@300");
    }
}
