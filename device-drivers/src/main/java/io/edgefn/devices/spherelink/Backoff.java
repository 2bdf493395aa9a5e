package io.edgefn.devices.spherelink;

import java.time.Duration;

/**
 * The wait before the next attempt to reopen a port: the initial wait (100 ms by default),
 * doubled after every failed attempt, capped at the maximum (5 s by default), and back to the
 * initial wait once the device is online. No jitter: one gateway reopens one port.
 *
 * <p>Not thread-safe: used under the driver's lock.
 */
final class Backoff {
    private final Duration initial;
    private final Duration max;
    private Duration next;

    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The wait for this attempt; the one after will be twice as long, up to the maximum. */
    Duration next() {
        Duration now = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return now;
    }

    /** Starts again from the initial wait. */
    void reset() {
        next = initial;
    }
}
