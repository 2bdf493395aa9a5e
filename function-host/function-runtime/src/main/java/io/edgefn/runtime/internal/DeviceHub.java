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
import java.time.InstantSource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment's devices: starts a driver per device, feeds what the devices send into the
 * router, and is the {@link DeviceCommands} binding functions call to command them.
 *
 * <p>Messages from a device arrive on its driver's reader thread and are routed there (the safety
 * path's first hop never waits behind other work). Thread-safe after {@link #start()}.
 */
public final class DeviceHub implements DeviceCommands, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceHub.class);

    private final Map<String, DeviceDriver> drivers = new LinkedHashMap<>();
    private final HostListener listener;

    /**
     * Creates (without starting) a driver for each of {@code devices}; {@code inbound} receives
     * every message they send.
     */
    public DeviceHub(Collection<DeviceConfig> devices, String gatewayId, InstantSource clock,
                     ScheduledExecutorService scheduler, TransportFactory transports,
                     Consumer<Message> inbound, HostListener listener) {
        this.listener = listener;
        DeviceListener deviceListener = new DeviceListener() {
            @Override
            public void onMessage(Message message) {
                // The thread delivering device messages is the safety path's first hop.
                CpuPriority.raiseCurrentThread();
                try {
                    inbound.accept(message);
                } catch (RuntimeException e) {
                    LOG.warn("a message from {} could not be routed: {}", message.systemProperty("connectionDeviceId"), e.toString());
                }
            }

            @Override
            public void onStateChange(String deviceId, LinkState state, String reason) {
                LOG.info("device {} is {}{}", deviceId, state, reason == null ? "" : " (" + reason + ")");
                Listeners.safely(() -> listener.deviceStateChanged(deviceId, state.name(), reason));
            }
        };
        DeviceEnvironment env = new DeviceEnvironment(gatewayId, clock, scheduler, deviceListener, transports);
        for (DeviceConfig config : devices) {
            drivers.put(config.deviceId(), DeviceDrivers.create(config, env));
        }
    }

    /** Starts every driver: each opens its port and handshakes in the background. */
    public void start() {
        drivers.values().forEach(DeviceDriver::start);
    }

    @Override
    public CompletionStage<CommandResult> send(String deviceId, String name, Map<String, ?> args) {
        DeviceDriver driver = drivers.get(deviceId);
        if (driver == null) {
            return CompletableFuture.failedFuture(new DeviceCommandException(DeviceCommandException.Reason.UNKNOWN_DEVICE,
                    deviceId, "no device '" + deviceId + "' in this deployment; devices: " + drivers.keySet()));
        }
        Listeners.safely(() -> listener.commandSent(deviceId, name, args));
        CompletableFuture<CommandResult> result;
        try {
            result = driver.sendCommand(name, args == null ? Map.of() : args);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((r, failure) -> Listeners.safely(() ->
                listener.commandCompleted(deviceId, name, r, failure == null ? null : unwrap(failure))));
    }

    /** Each device's link state. */
    public Map<String, LinkState> states() {
        Map<String, LinkState> states = new LinkedHashMap<>();
        drivers.forEach((id, d) -> states.put(id, d.state()));
        return states;
    }

    /** Each device's driver counters. */
    public Map<String, DriverStats> stats() {
        Map<String, DriverStats> stats = new LinkedHashMap<>();
        drivers.forEach((id, d) -> stats.put(id, d.stats()));
        return stats;
    }

    /** Whether the deployment has devices. */
    public boolean isEmpty() {
        return drivers.isEmpty();
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
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
