package io.edgefn.test.fns;

import io.edgefn.api.EdgeFunction;
import io.edgefn.api.FunctionContext;
import io.edgefn.api.Output;
import io.edgefn.api.SendTo;
import io.edgefn.api.TimerTrigger;

/** Sends the time every second. */
@EdgeFunction("heartbeat")
public class Heartbeat {

    /** One beat. */
    @TimerTrigger(fixedRate = "PT1S")
    public void beat(FunctionContext context, @SendTo("beats") Output<String> beats) {
        beats.send(context.clock().instant().toString());
    }
}
