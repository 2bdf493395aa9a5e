package io.edgefn.upstream;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of an {@link UpstreamLink}, with the allowed transitions in one place.
 *
 * <pre>
 * STOPPED ──▶ CONNECTING ──▶ CONNECTED ──▶ BACKING_OFF ──▶ CONNECTING …
 *                 │              │  └──▶ CONNECTING (token renewal: a planned reconnect, no wait)
 *                 └──────────────┴──────▶ BACKING_OFF
 * any state but CLOSED ──▶ CLOSED
 * </pre>
 */
public enum UpstreamState {

    /** Created, not started yet. */
    STOPPED,
    /** Opening a connection to the broker. */
    CONNECTING,
    /** Connected: draining the buffer. */
    CONNECTED,
    /** Waiting out a reconnect delay after a failed connect or a lost connection. */
    BACKING_OFF,
    /** Closed for good. */
    CLOSED;

    /** Whether the link may move from this state to {@code next}. */
    public boolean canMoveTo(UpstreamState next) {
        return allowedNext().contains(next);
    }

    /** The states the link may move to from this one. */
    public Set<UpstreamState> allowedNext() {
        return switch (this) {
            case STOPPED -> EnumSet.of(CONNECTING, CLOSED);
            case CONNECTING -> EnumSet.of(CONNECTED, BACKING_OFF, CLOSED);
            case CONNECTED -> EnumSet.of(BACKING_OFF, CONNECTING, CLOSED);
            case BACKING_OFF -> EnumSet.of(CONNECTING, CLOSED);
            case CLOSED -> EnumSet.noneOf(UpstreamState.class);
        };
    }
}
