package io.edgefn.test.httpfns;

import io.edgefn.api.EdgeFunction;
import io.edgefn.api.HttpRequestData;
import io.edgefn.api.HttpResult;
import io.edgefn.api.HttpTrigger;
import io.edgefn.api.PathParam;

/** Serves a pump's state over HTTP, scaled by its {@code factor} setting. */
@EdgeFunction("pump-panel")
public class PumpPanel {

    /** A pump's state. */
    public record State(String pumpId, String path, double rpm) {
    }

    /** A new speed. */
    public record Speed(double rpm) {
    }

    /** The state of one pump. */
    @HttpTrigger("state/{pumpId}")
    public State state(@PathParam("pumpId") String pumpId, HttpRequestData request) {
        return new State(pumpId, request.path(), 100);
    }

    /** Sets a pump's speed: 202. */
    @HttpTrigger(value = "state/{pumpId}", methods = HttpTrigger.Method.PUT)
    public HttpResult speed(@PathParam("pumpId") String pumpId, Speed speed) {
        return HttpResult.of(202, new State(pumpId, "", speed.rpm()));
    }
}
