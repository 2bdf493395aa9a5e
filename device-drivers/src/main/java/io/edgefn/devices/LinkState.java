package io.edgefn.devices;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a driver's link to its device, with every allowed transition listed here and
 * nowhere else.
 *
 * <pre>
 *   NEW ──start──▶ CONNECTING ──handshake or frame──▶ ONLINE
 *                    │   ▲                              │
 *   port failed or   │   │ reopen (backoff)             │ port failed or 3 s silence
 *   3 s silence      ▼   │                              ▼
 *                   OFFLINE ◀────────────────────────────┘
 *                    │  └──frame on the still-open port──▶ ONLINE
 *   any state ──close──▶ CLOSED (final)
 * </pre>
 */
public enum LinkState {
    /** Created, not started. */
    NEW,
    /** The port is being opened, or is open and the device has not spoken yet. */
    CONNECTING,
    /** The device is talking: commands can be sent. */
    ONLINE,
    /** The port failed or the device went silent; the driver keeps reopening the port with backoff. */
    OFFLINE,
    /** Closed for good. */
    CLOSED;

    /** Whether a link in this state may move to {@code next}. */
    public boolean canMoveTo(LinkState next) {
        return allowedNext().contains(next);
    }

    /** The states a link in this state may move to. */
    public Set<LinkState> allowedNext() {
        return switch (this) {
            case NEW -> EnumSet.of(CONNECTING, CLOSED);
            case CONNECTING -> EnumSet.of(ONLINE, OFFLINE, CLOSED);
            case ONLINE -> EnumSet.of(OFFLINE, CLOSED);
            case OFFLINE -> EnumSet.of(CONNECTING, ONLINE, CLOSED);
            case CLOSED -> EnumSet.noneOf(LinkState.class);
        };
    }
}
