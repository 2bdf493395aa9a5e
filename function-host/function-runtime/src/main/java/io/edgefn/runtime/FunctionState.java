package io.edgefn.runtime;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of one function in the host, with every allowed transition in one place.
 *
 * <pre>
 *   STARTING ──ok──▶ RUNNING ──stop──▶ DRAINING ──▶ STOPPED
 *      │  ▲                                          ▲
 *  fail│  │backoff elapsed                           │
 *      ▼  │                                          │
 *   BACKING_OFF ──too many failures──▶ FAILED ───────┘
 * </pre>
 * A function whose initialisation (its constructor, or what it does when first created) throws
 * is retried with exponential backoff ({@link RestartPolicy}); after the policy's last attempt it
 * is {@code FAILED} and the rest of the deployment keeps running.
 */
public enum FunctionState {
    /** Being created: its bean is being instantiated. */
    STARTING,
    /** Created, taking invocations. */
    RUNNING,
    /** Its last start failed; waiting before the next attempt. */
    BACKING_OFF,
    /** Gave up starting it after the restart policy's attempts. */
    FAILED,
    /** Stopping: queued work finishes, nothing new is accepted. */
    DRAINING,
    /** Stopped. */
    STOPPED;

    /** The states this one may move to. */
    public Set<FunctionState> next() {
        return switch (this) {
            case STARTING -> EnumSet.of(RUNNING, BACKING_OFF, FAILED, DRAINING, STOPPED);
            case RUNNING -> EnumSet.of(DRAINING, STOPPED);
            case BACKING_OFF -> EnumSet.of(STARTING, FAILED, DRAINING, STOPPED);
            case FAILED -> EnumSet.of(STOPPED);
            case DRAINING -> EnumSet.of(STOPPED);
            case STOPPED -> EnumSet.noneOf(FunctionState.class);
        };
    }

    /** Whether moving from this state to {@code target} is allowed. */
    public boolean canMoveTo(FunctionState target) {
        return next().contains(target);
    }
}
