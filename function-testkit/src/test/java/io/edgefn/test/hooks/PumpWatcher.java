package io.edgefn.test.hooks;

import io.edgefn.api.DeviceEventTrigger;
import io.edgefn.api.EdgeFunction;
import io.edgefn.api.FunctionContext;
import io.edgefn.api.OnStart;
import io.edgefn.api.OnStop;
import io.edgefn.api.Retry;
import io.edgefn.api.SendTo;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Watches one pump's frames, with start and stop hooks; the test reads {@link #STOPPED}. */
@EdgeFunction("pump-watcher")
public class PumpWatcher {

    /** The names of the instances whose stop hook ran; for the test. */
    public static final List<String> STOPPED = new CopyOnWriteArrayList<>();

    private String greeting = "not started";

    /** Reads its greeting from the settings. */
    @OnStart
    public void open(FunctionContext context) {
        greeting = context.settings().string("greeting").orElse("hello");
    }

    /** Answers each frame of pump-01; a frame saying "fail" fails. */
    @DeviceEventTrigger(device = "pump-01")
    @Retry(maxAttempts = 3)
    @SendTo("seen")
    public String onPump(String body) {
        if (body.contains("fail")) {
            throw new IllegalStateException("bad frame");
        }
        return greeting + " " + body;
    }

    /** Says it stopped. */
    @OnStop
    public void close() {
        STOPPED.add(greeting);
    }
}
