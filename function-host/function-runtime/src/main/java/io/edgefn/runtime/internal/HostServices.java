package io.edgefn.runtime.internal;

import io.edgefn.api.DeviceCommands;
import io.edgefn.bindings.BodyCodec;
import io.edgefn.runtime.HostListener;
import io.edgefn.runtime.RestartPolicy;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every function runtime of a host shares: clock, scheduler, executors, codec, the device
 * binding, where outputs go, and the policies. Immutable; the parts are thread-safe.
 *
 * @param gatewayId the gateway's id, set as {@code connectionDeviceId} on function outputs
 * @param clock the host's clock
 * @param scheduler timers: watchdogs, retry and restart backoff
 * @param workers runs ordinary invocations (virtual threads)
 * @param safetyWorkers runs invocations of functions on the safety path (platform threads)
 * @param codec bodies to values and back
 * @param devices the device-command binding
 * @param ingress where what a function sends enters the host
 * @param listener observes the host
 * @param restartPolicy how failed starts are retried
 * @param outputWait how long an invocation waits for its outputs to be taken
 * @param startTimeout how long a function's constructor may run before the function is FAILED
 * @param httpCalls the REST clients of {@code HttpCall} parameters, or {@code null} for none
 * @param problems where the functions' errors and dead letters are remembered for status pages
 */
record HostServices(String gatewayId, InstantSource clock, ScheduledExecutorService scheduler,
                           ExecutorService workers, ExecutorService safetyWorkers, BodyCodec codec,
                           DeviceCommands devices, Ingress ingress,
                           HostListener listener, RestartPolicy restartPolicy, Duration outputWait,
                           Duration startTimeout, io.edgefn.bindings.http.HttpCalls httpCalls, RecentProblems problems) {

    /** Services remembering problems in a ring of their own. */
    HostServices(String gatewayId, InstantSource clock, ScheduledExecutorService scheduler, ExecutorService workers,
                 ExecutorService safetyWorkers, BodyCodec codec, DeviceCommands devices, Ingress ingress,
                 HostListener listener, RestartPolicy restartPolicy, Duration outputWait, Duration startTimeout,
                 io.edgefn.bindings.http.HttpCalls httpCalls) {
        this(gatewayId, clock, scheduler, workers, safetyWorkers, codec, devices, ingress, listener, restartPolicy,
                outputWait, startTimeout, httpCalls, new RecentProblems(clock));
    }

    /** Services without REST clients. */
    HostServices(String gatewayId, InstantSource clock, ScheduledExecutorService scheduler, ExecutorService workers,
                 ExecutorService safetyWorkers, BodyCodec codec, DeviceCommands devices, Ingress ingress,
                 HostListener listener, RestartPolicy restartPolicy, Duration outputWait, Duration startTimeout) {
        this(gatewayId, clock, scheduler, workers, safetyWorkers, codec, devices, ingress, listener, restartPolicy,
                outputWait, startTimeout, null);
    }
}
