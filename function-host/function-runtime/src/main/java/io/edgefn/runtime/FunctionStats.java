package io.edgefn.runtime;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;

/**
 * A snapshot of one function's counters.
 *
 * @param name the function
 * @param state its lifecycle state
 * @param invocations attempts started, retries included
 * @param failures attempts that threw, timed out or could not bind their arguments
 * @param timeouts attempts that ran past the timeout
 * @param deadLettered messages given up on and sent to the dead-letter output
 * @param skippedTicks timer ticks skipped because the previous one still ran
 * @param lostOutputs invocations some of whose outputs a sink did not take
 * @param queued messages waiting
 * @param safetyCritical whether it runs on the safety path's threads
 * @param lastProblem the last failure, or null
 * @param stuck invocations running now that ignored their timeout's interrupt for longer than the
 *     host's grace: each is counted as a timeout, holds its thread and its permit until it returns,
 *     and makes {@code /health} answer 503 while it runs
 * @param restartCount start attempts after the first: restarts after a failed start (its
 *     constructor threw), as IoT Edge counts a module's restarts
 * @param lastStartTime when it last became RUNNING (on the host's clock), or null
 * @param lastExitTime when it last stopped running or a start of it last failed, or null
 * @param lastExitReason why, as {@code lastExitTime}: the failure, or {@code "stopped"}; null before
 * @param retries retries scheduled after a failed attempt (each also counts in {@code invocations}
 *     when it runs)
 * @param durations how long its invocations ran: count, p50/p90/p99, max and fixed buckets
 *
 * <p>The times are written as ISO-8601 strings by any Jackson mapper (as {@code GET /status}
 * does), which needs no {@code JavaTimeModule} for them.
 */
public record FunctionStats(String name, FunctionState state, long invocations, long failures, long timeouts,
                            long deadLettered, long skippedTicks, long lostOutputs, int queued,
                            boolean safetyCritical, String lastProblem, int stuck, int restartCount,
                            @JsonSerialize(using = ToStringSerializer.class) Instant lastStartTime,
                            @JsonSerialize(using = ToStringSerializer.class) Instant lastExitTime,
                            String lastExitReason, long retries, DurationStats durations) {
}
