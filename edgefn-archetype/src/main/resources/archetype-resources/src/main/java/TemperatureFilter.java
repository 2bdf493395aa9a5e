package ${package};

import io.edgefn.api.EdgeFunction;
import io.edgefn.api.FunctionContext;
import io.edgefn.api.Message;
import io.edgefn.api.RouteTrigger;
import io.edgefn.api.SendTo;

/**
 * Forwards device telemetry whose temperature is above a threshold.
 *
 * <p>Takes JSON readings such as {@code {"temperature": 71.5, "humidity": 40}} on its input
 * {@code in} and sends every reading whose {@code temperature} exceeds the setting
 * {@code threshold} (default 50) unchanged to its output {@code out}. A reading without a
 * temperature is dropped.
 */
@EdgeFunction("temperature-filter")
public class TemperatureFilter {

    /** The part of a reading this function reads; other fields are ignored (and kept in what it forwards). */
    public record Telemetry(Double temperature) {
    }

    /** Forwards {@code message} when its temperature is above the threshold; sends nothing otherwise. */
    @RouteTrigger(input = "in")
    @SendTo("out")
    public Message filter(Telemetry telemetry, Message message, FunctionContext context) {
        double threshold = context.settings().number("threshold", 50);
        if (telemetry.temperature() == null || telemetry.temperature() <= threshold) {
            return null;
        }
        return message;
    }
}
