package io.edgefn.examples.pump;

import io.edgefn.api.EdgeFunction;
import io.edgefn.api.FunctionContext;
import io.edgefn.api.Message;
import io.edgefn.api.Output;
import io.edgefn.api.RouteTrigger;
import io.edgefn.api.SendTo;
import io.edgefn.api.SystemProperties;
import java.util.HashMap;
import java.util.Map;

/**
 * Stream analytics: keeps a sliding window of each pump's readings and emits its statistics for
 * every reading ({@code aggregates}), marking every {@code sampleEvery}-th one {@code sampled=true}
 * so a route can send a thinned stream upstream.
 *
 * <p>Settings: {@code windowSize} (readings, default 40: two seconds at 20 Hz),
 * {@code sampleEvery} (default 20). Runs one invocation at a time, so the windows need no lock.
 */
@EdgeFunction(value = "pump-analytics", timeoutMillis = 2_000)
public class PumpAnalytics {

    private final Map<String, SlidingWindow> windows = new HashMap<>();
    private long seen;

    /** Adds one reading to its pump's window and emits the window's statistics. */
    @RouteTrigger(input = "readings")
    public void onReading(Reading reading, Message message, FunctionContext context,
                          @SendTo("aggregates") Output<Aggregate> aggregates) {
        String deviceId = message.systemProperty(SystemProperties.CONNECTION_DEVICE_ID);
        int windowSize = (int) context.settings().integer("windowSize", 40);
        long sampleEvery = Math.max(1, context.settings().integer("sampleEvery", 20));
        SlidingWindow window = windows.computeIfAbsent(deviceId, id -> new SlidingWindow(windowSize));
        window.add(reading);
        Aggregate aggregate = window.aggregate(deviceId);
        boolean sampled = ++seen % sampleEvery == 0;
        aggregates.send(aggregate, Map.of("deviceId", deviceId, "sampled", Boolean.toString(sampled)));
    }
}
