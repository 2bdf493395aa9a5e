package io.edgefn.runtime.internal;

/**
 * How long a producer's thread may wait for room in a full sink: what that thread can afford.
 * Each sink turns it into a wait when it is bound (see {@link MessageSink#accept}).
 */
enum Patience {
    /** An event loop: never waits. A full sink refuses at once, and the producer is told to slow down. */
    NONE,
    /**
     * A device's reader thread: waits for the safety path's functions and for disk, never for an
     * ordinary function's full queue — the same thread must go on reading the MCU's next frames.
     */
    SAFETY_PATH,
    /** A thread that may wait (an invocation passing its outputs on, a tool): up to the queue wait. */
    QUEUE_WAIT
}
