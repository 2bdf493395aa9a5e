package io.edgefn.benchmarks.loop;

import java.util.concurrent.CompletableFuture;

/**
 * One trial of the loop: the moments (ticker nanos) the anomalous reading passed on its way from
 * the simulated MCU to the shutdown COMMAND and back as the MCU's ACK at the gateway.
 *
 * <p>Each moment is written once, by the thread that saw it (the MCU timer, a device reader, a
 * safety-path invoker, the simulator's reader, the gateway's link reader when the ACK is decoded)
 * and read by the trial runner after {@link #ackAtGateway()} completed or timed out; the fields
 * are volatile for that hand-over.
 */
final class Trial {

    private final CompletableFuture<Long> commandRead = new CompletableFuture<>();
    private final CompletableFuture<Long> ackAtGateway = new CompletableFuture<>();
    private volatile long injectedAt = Long.MIN_VALUE;
    private volatile long routedAt = Long.MIN_VALUE;
    private volatile long commandSentAt = Long.MIN_VALUE;
    private final java.util.concurrent.atomic.AtomicBoolean acked = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean ackOk;

    /** Completes with the simulator's ticker when it decoded the shutdown COMMAND. */
    CompletableFuture<Long> commandRead() {
        return commandRead;
    }

    /**
     * Completes with the ticker when the gateway decoded the MCU's ACK of the shutdown COMMAND
     * (the end of the loop as the target names it); exceptionally when the host gave the command
     * up without an ACK.
     */
    CompletableFuture<Long> ackAtGateway() {
        return ackAtGateway;
    }

    /**
     * Records the ACK at the gateway; {@code ok} whether it said so. The first call wins; the
     * status is written before the future completes, so the runner woken by it sees the status.
     */
    void acknowledged(long nanos, boolean ok) {
        if (!acked.getAndSet(true)) {
            ackOk = ok;
            ackAtGateway.complete(nanos);
        }
    }

    /** Whether the ACK said {@code ok}. */
    boolean ackOk() {
        return ackOk;
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

    /** When the host routed the anomalous reading, or {@link Long#MIN_VALUE} before it was seen. */
    long routedAt() {
        return routedAt;
    }

    /** Records when the host began sending the shutdown COMMAND; the first call wins. */
    void commandSent(long nanos) {
        if (commandSentAt == Long.MIN_VALUE) {
            commandSentAt = nanos;
        }
    }

    /**
     * The moments seen so far, relative to the injection ({@code -1} for one not seen, and for all
     * when the injection itself was not recorded).
     */
    TrialTimes times() {
        long base = injectedAt;
        if (base == Long.MIN_VALUE) {
            return new TrialTimes(-1, -1, -1, -1, false);
        }
        return new TrialTimes(offset(routedAt, base), offset(commandSentAt, base),
                offset(doneValue(commandRead), base), offset(doneValue(ackAtGateway), base), ackOk);
    }

    private static long doneValue(CompletableFuture<Long> f) {
        return f.isDone() && !f.isCompletedExceptionally() ? f.join() : Long.MIN_VALUE;
    }

    private static long offset(long at, long base) {
        // A hook stamps its moment after the injection by construction; a clock step cannot make
        // it earlier with nanoTime, but keep a negative difference out of the latencies anyway.
        return at == Long.MIN_VALUE ? -1 : Math.max(0, at - base);
    }
}
