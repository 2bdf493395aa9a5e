package io.edgefn.test.fns;

import io.edgefn.api.CommandResult;
import io.edgefn.api.DeviceCommandException;
import io.edgefn.api.DeviceCommands;
import io.edgefn.api.EdgeFunction;
import io.edgefn.api.RouteTrigger;
import io.edgefn.api.SendTo;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** Stops the device named in an alarm and says how it answered. */
@EdgeFunction("stopper")
public class Stopper {

    /** An alarm about a device. */
    public record Alarm(String deviceId) {
    }

    /** Commands the device to stop; sends its answer's status, or why there was none. */
    @RouteTrigger(input = "alarms")
    @SendTo("outcomes")
    public String onAlarm(Alarm alarm, DeviceCommands devices) throws InterruptedException {
        try {
            CommandResult r = devices.send(alarm.deviceId(), "stop", Map.of("why", "alarm")).toCompletableFuture().get();
            return r.status().name();
        } catch (ExecutionException e) {
            return e.getCause() instanceof DeviceCommandException d ? d.reason().name() : "FAILED";
        }
    }
}
