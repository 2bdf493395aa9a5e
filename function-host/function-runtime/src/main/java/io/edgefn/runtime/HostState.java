package io.edgefn.runtime;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of an {@link EdgeHost}, with every allowed transition in one place.
 *
 * <pre>
 *   NEW ──start──▶ STARTING ──ok──▶ RUNNING ──close──▶ STOPPING ──▶ STOPPED
 *                     │                                   ▲
 *                     └──refused or failed──▶ FAILED ─────┘ (close releases what was opened)
 * </pre>
 */
public enum HostState {
    /** Built, not started. */
    NEW,
    /** Checking the deployment, loading packages, starting functions and devices. */
    STARTING,
    /** Taking messages. */
    RUNNING,
    /** Start failed; what it had opened is being or has been released. */
    FAILED,
    /** Closing: devices and timers stopped, functions draining. */
    STOPPING,
    /** Closed; everything released. */
    STOPPED;

    /** The states this one may move to. */
    public Set<HostState> next() {
        return switch (this) {
            case NEW -> EnumSet.of(STARTING, STOPPED);
            case STARTING -> EnumSet.of(RUNNING, FAILED);
            case RUNNING -> EnumSet.of(STOPPING);
            case FAILED -> EnumSet.of(STOPPING, STOPPED);
            case STOPPING -> EnumSet.of(STOPPED);
            case STOPPED -> EnumSet.noneOf(HostState.class);
        };
    }

    /** Whether moving from this state to {@code target} is allowed. */
    public boolean canMoveTo(HostState target) {
        return next().contains(target);
    }
}
