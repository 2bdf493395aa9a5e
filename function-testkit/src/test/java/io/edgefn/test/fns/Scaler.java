package io.edgefn.test.fns;

import io.edgefn.api.DirectMethodTrigger;
import io.edgefn.api.EdgeFunction;
import io.edgefn.api.MethodResult;
import io.edgefn.api.FunctionContext;
import io.edgefn.api.RouteTrigger;
import io.edgefn.api.SendTo;

/** Multiplies readings by its {@code factor} setting (default 2); fails on a negative reading. */
@EdgeFunction("scaler")
public class Scaler {

    /** A reading. */
    public record Reading(double value) {
    }

    /** Scales one reading. */
    @RouteTrigger(input = "in")
    @SendTo("out")
    public Reading scale(Reading reading, FunctionContext context) {
        if (reading.value() < 0) {
            throw new IllegalArgumentException("negative reading " + reading.value());
        }
        return new Reading(reading.value() * context.settings().number("factor", 2));
    }

    /** What a reading would become, as a direct method: refuses a negative one with 400. */
    @DirectMethodTrigger("preview")
    public MethodResult preview(Reading reading, FunctionContext context) {
        if (reading.value() < 0) {
            return MethodResult.of(400, java.util.Map.of("error", "negative reading"));
        }
        return MethodResult.ok(new Reading(reading.value() * context.settings().number("factor", 2)));
    }
}
