package io.edgefn.runtime.internal;

import io.edgefn.api.CommandResult;
import io.edgefn.api.DeviceCommandException;
import io.edgefn.api.DeviceCommands;
import io.edgefn.api.Message;
import io.edgefn.devices.DeviceConfig;
import io.edgefn.devices.DeviceDriver;
import io.edgefn.devices.DeviceDrivers;
import io.edgefn.devices.DeviceEnvironment;
import io.edgefn.devices.DeviceListener;
import io.edgefn.devices.DriverStats;
import io.edgefn.devices.LinkState;
import io.edgefn.devices.TransportFactory;
import io.edgefn.runtime.HostListener;
import io.edgefn.runtime.MessageOrigin;
import java.time.InstantSource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment's devices: starts a driver per device, passes what each device sends into the
 * host's {@link Ingress} as coming from that device, and is the {@link DeviceCommands} binding
 * functions call to command them.
 *
 * <p>Threads: messages from a device arrive on its driver's reader thread and enter the ingress
 * there (the safety path's first hop never waits behind other work, see
 * {@link Ingress#submitFromDevice}). A command's result is decided on the reader thread (the MCU's
 * ACK) or the scheduler (a timeout), but the future {@link #send} returns is completed on
 * {@code completions} — the safety path's worker threads — so that what a function chains on it
 * ({@code thenAccept}, {@code thenCompose}) can never run on, or stall, the serial reader.
 * Thread-safe after {@link #start()}.
 */
final class DeviceHub implements DeviceCommands, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceHub.class);

    private final Map<String, DeviceDriver> drivers = new LinkedHashMap<>();
    private final Map<String, DeviceLinkStats> links = new LinkedHashMap<>();
    private final ControlLoop loop = new ControlLoop();
    private final HostListener listener;
    private final Executor completions;
    private final LogThrottle routingWarnings = LogThrottle.everyTenSeconds();

    /**
     * Creates (without starting) a driver for each of {@code devices}; what they send enters
     * {@code ingress}; command results complete on {@code completions}.
     */
    DeviceHub(Collection<DeviceConfig> devices, String gatewayId, InstantSource clock, ScheduledExecutorService scheduler,
              TransportFactory transports, Ingress ingress, Executor completions, HostListener listener) {
        this.listener = listener;
        this.completions = completions;
        for (DeviceConfig config : devices) {
            DeviceLinkStats link = new DeviceLinkStats(clock);
            links.put(config.deviceId(), link);
            DeviceEnvironment env = new DeviceEnvironment(gatewayId, clock, scheduler,
                    new FromDevice(MessageOrigin.serialDevice(config.deviceId()), ingress, link), transports);
            drivers.put(config.deviceId(), DeviceDrivers.create(config, env));
        }
    }

    /** Passes one device's messages and link changes on; called on that device's reader thread. */
    private final class FromDevice implements DeviceListener {
        private final MessageOrigin origin;
        private final Ingress ingress;
        private final DeviceLinkStats link;

        FromDevice(MessageOrigin origin, Ingress ingress, DeviceLinkStats link) {
            this.origin = origin;
            this.ingress = ingress;
            this.link = link;
        }

        @Override
        public void onMessage(Message message) {
            // The thread delivering device messages is the safety path's first hop.
            CpuPriority.raiseCurrentThread();
            link.frameIn(message);
            try {
                ingress.submitFromDevice(message, origin).whenComplete((ok, failure) -> {
                    if (failure != null) {
                        warnRoutingFailure(origin.deviceId(), failure);
                    }
                });
            } catch (Throwable t) {
                // Whatever routing threw — an Error included — this reader thread must go on
                // reading: it carries the safety path's frames and the MCU's ACKs.
                LOG.warn("a message from {} could not be routed: {}", origin.deviceId(), Failures.describe(t));
            }
        }

        @Override
        public void onStateChange(String deviceId, LinkState state, String reason) {
            LOG.info("device {} is {}{}", deviceId, state, reason == null ? "" : " (" + reason + ")");
            Listeners.safely(() -> listener.deviceStateChanged(deviceId, state.name(), reason));
        }
    }

    /** At most one warning every 10 s: a full queue at 1 kHz must not flood the log (the graph counts each). */
    private void warnRoutingFailure(String deviceId, Throwable failure) {
        long heldBack = routingWarnings.tryAcquire();
        if (heldBack >= 0) {
            LOG.warn("a message from device {} was not taken by all its sinks ({} more like it since the last report): {}",
                    deviceId, heldBack, unwrap(failure).toString());
        }
    }

    /**
     * Runs every driver's command path once without sending ({@link DeviceDriver#warmUp}), before
     * {@link #start}; a driver whose warm-up fails is logged and works cold.
     */
    void warmUp() {
        drivers.forEach((id, driver) -> {
            try {
                driver.warmUp();
            } catch (RuntimeException e) {
                LOG.warn("device {}: warming up its command path failed ({}); its first command takes the cold path",
                        io.edgefn.api.LogText.escape(id), e.toString());
            }
        });
    }

    /** Starts every driver: each opens its port and handshakes in the background. */
    void start() {
        drivers.values().forEach(DeviceDriver::start);
    }

    /**
     * Sends a command; the result completes on one of the host's safety workers, never on the
     * device's serial reader thread.
     */
    @Override
    public CompletionStage<CommandResult> send(String deviceId, String name, Map<String, ?> args) {
        DeviceDriver driver = drivers.get(deviceId);
        if (driver == null) {
            return CompletableFuture.failedFuture(new DeviceCommandException(DeviceCommandException.Reason.UNKNOWN_DEVICE,
                    deviceId, "no device '" + deviceId + "' in this deployment; devices: " + drivers.keySet()));
        }
        Listeners.safely(() -> listener.commandSent(deviceId, name, args));
        DeviceLinkStats link = links.get(deviceId);
        Map<String, ?> sent = args == null ? Map.of() : args;
        link.commandOut(name, sent);
        long loopStart = ControlLoop.currentSafety();
        long started = System.nanoTime();
        CompletableFuture<CommandResult> decided;
        try {
            decided = driver.sendCommand(name, sent);
        } catch (RuntimeException e) {
            decided = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<CommandResult> result = new CompletableFuture<>();
        decided.whenComplete((r, failure) -> {
            long answered = System.nanoTime();
            boolean acked = failure == null && r != null && r.ok();
            link.commandAnswered(name, acked, failure != null ? unwrap(failure).getClass().getSimpleName()
                    : r == null ? "" : String.valueOf(r.status()), answered - started);
            if (acked && loopStart != 0) {
                loop.record(answered - loopStart);
            }
            Listeners.safely(() -> listener.commandCompleted(deviceId, name, r, failure == null ? null : unwrap(failure)));
            Runnable complete = () -> {
                if (failure == null) {
                    result.complete(r);
                } else {
                    result.completeExceptionally(unwrap(failure));
                }
            };
            try {
                completions.execute(complete);
            } catch (RejectedExecutionException e) {
                complete.run(); // the host is stopping: complete here rather than never
            }
        });
        return result;
    }

    /** Each device's link state. */
    Map<String, LinkState> states() {
        Map<String, LinkState> states = new LinkedHashMap<>();
        drivers.forEach((id, d) -> states.put(id, d.state()));
        return states;
    }

    /** Each device's driver counters. */
    Map<String, DriverStats> stats() {
        Map<String, DriverStats> stats = new LinkedHashMap<>();
        drivers.forEach((id, d) -> stats.put(id, d.stats()));
        return stats;
    }

    /** Each device's link statistics, by device id. */
    Map<String, DeviceLinkStats> links() {
        return links;
    }

    /** The control loop's latency (see {@link ControlLoop}). */
    ControlLoop loop() {
        return loop;
    }

    /** Each device's driver, by device id. */
    Map<String, DeviceDriver> drivers() {
        return drivers;
    }

    @Override
    public void close() {
        drivers.values().forEach(d -> {
            try {
                d.close();
            } catch (RuntimeException e) {
                LOG.warn("closing a device driver failed", e);
            }
        });
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
