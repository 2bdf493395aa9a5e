package io.edgefn.runtime.internal;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one function, shared by its dispatcher, invoker and outputs. Thread-safe; a
 * snapshot is read with {@link FunctionRuntime#stats()}.
 */
final class FunctionCounters {
    /** The function's name, for {@link #problems}. */
    private final String function;
    /** Where its errors and dead letters are remembered for status pages. */
    private final RecentProblems problems;

    /** The counters of a function without a host to report problems to (tests). */
    FunctionCounters() {
        this("", new RecentProblems(java.time.InstantSource.system()));
    }

    /** The counters of {@code function}, reporting its problems to {@code problems}. */
    FunctionCounters(String function, RecentProblems problems) {
        this.function = function;
        this.problems = problems;
    }

    /** Attempts started, retries included. */
    final LongAdder invocations = new LongAdder();
    /** Attempts that threw, timed out or could not bind their arguments. */
    final LongAdder failures = new LongAdder();
    /** Attempts that ran past the timeout. */
    final LongAdder timeouts = new LongAdder();
    /** Messages given up on and sent to the dead-letter output. */
    final LongAdder deadLettered = new LongAdder();
    /** Retries scheduled after a failed attempt. */
    final LongAdder retries = new LongAdder();
    /** How long each attempt ran, retries included. */
    final DurationHistogram durations = new DurationHistogram();
    /** The {@code GET /metrics} timer invocations are also recorded into, once the metrics bound it. */
    volatile io.micrometer.core.instrument.Timer durationTimer;
    /** Timer ticks skipped because the previous one still ran. */
    final LongAdder skippedTicks = new LongAdder();
    /** Invocations some of whose outputs a sink did not take. */
    final LongAdder lostOutputs = new LongAdder();
    /** Invocations running now that ignored their timeout's interrupt past the grace (see {@link Invoker}). */
    final AtomicInteger stuck = new AtomicInteger();
    /** The last failure, for status pages. */
    volatile String lastProblem;
    /** Start attempts after the first (restarts after a failed start). */
    final AtomicInteger restarts = new AtomicInteger();
    /** When the function last became RUNNING, or null. */
    volatile Instant lastStart;
    /** When it last stopped running or a start of it last failed, or null. */
    volatile Instant lastExit;
    /** Why, as {@link #lastExit}: the failure, or {@code stopped}. */
    volatile String lastExitReason;

    /** Records one attempt's duration; allocation-free and lock-free, any thread. */
    void recordDuration(long nanos) {
        durations.record(nanos);
        io.micrometer.core.instrument.Timer t = durationTimer;
        if (t != null) {
            t.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** Sets {@link #lastProblem} and remembers it as an error in the host's recent problems; any thread. */
    void problem(String problem) {
        lastProblem = problem;
        problems.record(function, RecentProblems.Kind.ERROR, problem);
    }

    /** Remembers a dead letter, sent because of {@code why}, in the host's recent problems; any thread. */
    void deadLetter(String why) {
        problems.record(function, RecentProblems.Kind.DEAD_LETTER, why);
    }
}
