package io.edgefn.runtime;

import io.edgefn.runtime.FunctionState;

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
 */
public record FunctionStats(String name, FunctionState state, long invocations, long failures, long timeouts,
                            long deadLettered, long skippedTicks, long lostOutputs, int queued,
                            boolean safetyCritical, String lastProblem, int stuck) {
}
