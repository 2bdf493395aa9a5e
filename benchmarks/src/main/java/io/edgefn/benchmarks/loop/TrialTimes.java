package io.edgefn.benchmarks.loop;

/**
 * What one trial saw, in nanoseconds after the anomalous reading was written by the MCU; a moment
 * that was never seen is {@code -1}.
 *
 * @param routed     the host reported the reading routed (on the link's reader thread, after
 *                   delivering it: when that thread is preempted this can come after {@code sent})
 * @param sent       the host handed the shutdown COMMAND to the device binding
 * @param commandRead the MCU decoded the COMMAND
 * @param ack        the gateway decoded the MCU's ACK of it: the end of the loop
 * @param ackOk      whether that ACK said {@code ok}
 */
record TrialTimes(long routed, long sent, long commandRead, long ack, boolean ackOk) {

    /** Whether the loop closed (ACK at the gateway) within {@code limitNanos}. */
    boolean closedWithin(long limitNanos) {
        return ack >= 0 && ack <= limitNanos;
    }

    /** As a JSON array {@code [routed, sent, commandRead, ack, ackOk ? 1 : 0]}, for a parent run. */
    long[] toArray() {
        return new long[] {routed, sent, commandRead, ack, ackOk ? 1 : 0};
    }

    /** Reads {@link #toArray()}'s form back. */
    static TrialTimes fromArray(long[] a) {
        if (a.length != 5) {
            throw new IllegalArgumentException("a trial's times are 5 numbers [routed, sent, commandRead, ack, ackOk], got "
                    + a.length);
        }
        return new TrialTimes(a[0], a[1], a[2], a[3], a[4] == 1);
    }
}
