package io.edgefn.examples.pump;

import io.edgefn.api.CommandResult;
import io.edgefn.api.DeviceCommandException;
import io.edgefn.api.DeviceCommands;
import io.edgefn.api.EdgeFunction;
import io.edgefn.api.FunctionContext;
import io.edgefn.api.Message;
import io.edgefn.api.RouteTrigger;
import io.edgefn.api.SendTo;
import io.edgefn.api.SystemProperties;
import io.edgefn.api.WarmUp;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Stops a pump through its MCU when an anomaly is detected, and reports whether the MCU
 * acknowledged the stop. A pump that was stopped is not commanded again until it reports
 * {@code pump-restarted}.
 *
 * <p>One invocation at a time (the default), so the set of stopped pumps needs no lock.
 */
@EdgeFunction(value = "pump-shutdown", timeoutMillis = 5_000, retries = 0)
public class PumpShutdown {

    private final Set<String> stopped = new HashSet<>();

    /**
     * Commands the anomaly's pump to shut down and returns the outcome. The host binds the
     * {@code @WarmUp} anomaly at activation (without calling this method), so the first real
     * anomaly finds its decoding warm.
     */
    @RouteTrigger(input = "anomalies")
    @SendTo("outcomes")
    @WarmUp(body = """
            {"deviceId": "warm-up", "detectedAt": 0, "reason": "warm-up", "pressure": 0, "baseline": 0,
             "zScore": 0, "slope": 0, "consecutive": 0}""")
    public ShutdownOutcome onAnomaly(Anomaly anomaly, DeviceCommands devices, FunctionContext context)
            throws InterruptedException {
        if (stopped.contains(anomaly.deviceId())) {
            return null;
        }
        String reason = anomaly.reason() + ": pressure " + Math.round(anomaly.pressure() * 10) / 10.0 + " bar";
        try {
            CommandResult result = devices.send(anomaly.deviceId(), "shutdown", Map.of("reason", reason))
                    .toCompletableFuture().get();
            if (result.ok()) {
                stopped.add(anomaly.deviceId());
            }
            return new ShutdownOutcome(anomaly.deviceId(), result.ok(), result.status().name(), result.detail(),
                    result.latency().toMillis(), context.clock().millis() - anomaly.detectedAt(), reason);
        } catch (ExecutionException | CompletionException e) {
            String status = e.getCause() instanceof DeviceCommandException d ? d.reason().name() : "FAILED";
            context.logger().log(System.Logger.Level.WARNING, "shutdown of " + anomaly.deviceId() + " failed: "
                    + e.getCause().getMessage());
            return new ShutdownOutcome(anomaly.deviceId(), false, status, e.getCause().getMessage(), -1,
                    context.clock().millis() - anomaly.detectedAt(), reason);
        }
    }

    /** Forgets that a pump was stopped once its MCU reports that it runs again. */
    @RouteTrigger(input = "events")
    public void onPumpEvent(PumpEvent event, Message message) {
        String deviceId = message.systemProperty(SystemProperties.CONNECTION_DEVICE_ID);
        if ("pump-restarted".equals(event.name()) && deviceId != null) {
            stopped.remove(deviceId);
        }
    }
}
