package io.edgefn.test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The test kit's fake clock: the clock every function of a {@link FunctionTestKit} sees through
 * {@code FunctionContext.clock()}, standing still until the test {@linkplain #advance advances}
 * it. Advancing fires the timers that fall due, in time order, each at its own scheduled instant.
 *
 * <p>Not thread-safe: the test's thread owns it, as it owns the kit.
 */
public final class TestClock implements InstantSource {

    /** Fires the timers due up to an instant; implemented by the kit. */
    interface TimerDriver {
        /** The instant of the earliest timer due at or before {@code until}, or {@code null}. */
        Instant nextDue(Instant until);

        /** Fires every timer due at exactly {@code now}. */
        void fire(Instant now);
    }

    private Instant now;
    private TimerDriver timers;

    TestClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    void drive(TimerDriver driver) {
        this.timers = driver;
    }

    @Override
    public Instant instant() {
        return now;
    }

    /**
     * Moves the clock forward by {@code duration}, firing every timer that falls due on the way
     * at its scheduled instant (a fixed-rate timer of 1 s fires 10 times in {@code advance(10 s)}).
     *
     * @throws IllegalArgumentException when {@code duration} is negative
     * @throws FunctionFailedException  when a timer's invocation throws; the clock then stands
     *                                  at that timer's instant
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("the test clock only moves forward; advance(" + duration + ") is negative");
        }
        Instant target = now.plus(duration);
        if (timers != null) {
            for (Instant due = timers.nextDue(target); due != null; due = timers.nextDue(target)) {
                now = due;
                timers.fire(due);
            }
        }
        now = target;
    }

    @Override
    public String toString() {
        return "TestClock[" + now + "]";
    }
}
