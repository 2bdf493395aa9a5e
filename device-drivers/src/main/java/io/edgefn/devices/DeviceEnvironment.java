package io.edgefn.devices;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * What the host lends a driver: its gateway id, a clock, a scheduler for timers, the listener
 * that receives the device's messages, the transports that open ports, and a source of
 * randomness (initial sequence numbers).
 *
 * <p>The scheduler is shared and owned by the host: drivers schedule short tasks on it and never
 * shut it down.
 *
 * @param gatewayId  the gateway's id, sent to MCUs in the handshake
 * @param clock      the clock every timeout and timestamp is read from
 * @param scheduler  runs the drivers' timers (pings, retries, reconnects)
 * @param listener   receives messages and state changes
 * @param transports opens ports
 * @param random     draws initial sequence numbers
 */
public record DeviceEnvironment(String gatewayId, InstantSource clock, ScheduledExecutorService scheduler,
                                DeviceListener listener, TransportFactory transports, RandomGenerator random) {

    /** Checks that every part is present. */
    public DeviceEnvironment {
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(transports, "transports");
        Objects.requireNonNull(random, "random");
    }

    /** An environment that draws initial sequence numbers from a {@link SecureRandom}. */
    public DeviceEnvironment(String gatewayId, InstantSource clock, ScheduledExecutorService scheduler,
                             DeviceListener listener, TransportFactory transports) {
        this(gatewayId, clock, scheduler, listener, transports, new SecureRandom());
    }
}
