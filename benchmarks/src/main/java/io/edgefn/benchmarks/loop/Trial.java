package io.edgefn.benchmarks.loop;

import java.util.concurrent.CompletableFuture;

/**
 * One trial of the loop: the moments (ticker nanos) the anomalous reading passed on its way from
 * the simulator to the shutdown COMMAND.
 *
 * <p>Each moment is written once, by the thread that saw it (the MCU timer, a device reader, a
 * safety-path invoker, the simulator's reader) and read by the trial runner after
 * {@link #commandRead()} completed; the fields are volatile for that hand-over.
 */
final class Trial {

    private final CompletableFuture<Long> commandRead = new CompletableFuture<>();
    private volatile long injectedAt = Long.MIN_VALUE;
    private volatile long routedAt = Long.MIN_VALUE;
    private volatile long commandSentAt = Long.MIN_VALUE;

    /** Completes with the simulator's ticker when it read the shutdown COMMAND. */
    CompletableFuture<Long> commandRead() {
        return commandRead;
    }

    void injectedAt(long nanos) {
        injectedAt = nanos;
    }

    long injectedAt() {
        return injectedAt;
    }

    /** Records when the host routed the anomalous reading; the first call wins. */
    void routed(long nanos) {
        if (routedAt == Long.MIN_VALUE) {
            routedAt = nanos;
        }
    }

    long routedAt() {
        return routedAt;
    }

    /** Records when the host began sending the shutdown COMMAND; the first call wins. */
    void commandSent(long nanos) {
        if (commandSentAt == Long.MIN_VALUE) {
            commandSentAt = nanos;
        }
    }

    long commandSentAt() {
        return commandSentAt;
    }

    /**
     * Whether every intermediate moment was seen, in order, so the stages can be told apart. The
     * host reports "routed" after it delivered the reading, on the device's reader thread; when
     * that thread is preempted, the safety path may send the COMMAND before the report: such a
     * trial counts end to end but not per stage.
     */
    boolean hasStages() {
        if (routedAt == Long.MIN_VALUE || commandSentAt == Long.MIN_VALUE || !commandRead.isDone()
                || commandRead.isCompletedExceptionally()) {
            return false;
        }
        long readAt = commandRead.join();
        return injectedAt <= routedAt && routedAt <= commandSentAt && commandSentAt <= readAt;
    }
}
