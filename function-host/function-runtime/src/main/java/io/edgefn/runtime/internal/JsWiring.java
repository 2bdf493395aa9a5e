package io.edgefn.runtime.internal;

import io.edgefn.bindings.BindingScope;
import io.edgefn.bindings.ParameterBinder;
import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.MethodDescriptor;
import io.edgefn.index.TriggerDescriptor;
import io.edgefn.js.JsFunction;
import io.edgefn.runtime.RetryPolicy;
import io.edgefn.triggers.Schedule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Wires a JavaScript function (runtime {@code js} in its package's index) where a Java one is
 * wired: the same {@link FunctionRuntime} — queue, permits, retries, dead letters, supervisor,
 * the {@link Invoker}'s watchdog — with each handler bound as a {@link MethodTarget} that calls
 * into the function's {@link JsFunction}. The function's "instance", which its supervisor creates
 * (and re-creates on a restart), is its {@link JsFunction}: the module evaluated in its first
 * context.
 *
 * <p>A handler's only argument, as the binders see it, is the invocation's {@link BindingScope}:
 * the script gets its message, context and outputs from there. Threads: the function's own, as a
 * Java function's — platform threads, raised on the safety path, lowered otherwise (see
 * {@link io.edgefn.runtime.HostExecutors}); never a virtual thread's carrier.
 */
final class JsWiring {

    private static final ParameterBinder[] SCOPE = {scope -> scope};

    private JsWiring() {
    }

    /** The handler {@code handler} of a JavaScript function, as a bound method's target. */
    private record Handler(String handler, long timeoutMillis) implements MethodTarget {
        @Override
        public Object invoke(Object instance, Object[] args) {
            return ((JsFunction) instance).call(handler, (BindingScope) args[0], timeoutMillis);
        }

        @Override
        public void timedOut(Object instance, Thread thread, String reason) {
            ((JsFunction) instance).cancel(thread, reason);
        }
    }

    /** Binds {@code descriptor}'s handlers and creates (without starting) its runtime. */
    static FunctionWiring wire(FunctionDescriptor descriptor, LoadedPackage pkg, HostServices host, TwinProperties twin,
                               boolean safetyCritical, int queueCapacity) {
        Map<String, BoundMethod> byInput = new LinkedHashMap<>();
        List<FunctionWiring.TimerMethod> timers = new ArrayList<>();
        for (MethodDescriptor m : descriptor.methods()) {
            Handler target = new Handler(m.name(), descriptor.timeoutMillis());
            switch (m.trigger()) {
                case TriggerDescriptor.Route route ->
                        byInput.put(route.input(), new BoundMethod(m.name(), target, SCOPE, m.returnOutput(), route.input()));
                case TriggerDescriptor.Timer timer -> timers.add(new FunctionWiring.TimerMethod(
                        new BoundMethod(m.name(), target, SCOPE, m.returnOutput(), null),
                        Schedule.parse(timer.fixedRate(), timer.cron())));
                // The index reader refuses these for a js function; a host never sees them.
                case TriggerDescriptor.DirectMethod direct -> throw new IllegalStateException(
                        "js function " + descriptor.name() + " has a direct method trigger");
                case TriggerDescriptor.DesiredProperties desired -> throw new IllegalStateException(
                        "js function " + descriptor.name() + " has a desired-properties trigger");
                case TriggerDescriptor.Lifecycle hook -> throw new IllegalStateException(
                        "js function " + descriptor.name() + " has a lifecycle hook");
                case TriggerDescriptor.DeviceEvent event -> throw new IllegalStateException(
                        "js function " + descriptor.name() + " has a device-event trigger");
                case TriggerDescriptor.Http http -> throw new IllegalStateException(
                        "js function " + descriptor.name() + " has an HTTP trigger");
                case TriggerDescriptor.Mqtt mqtt -> throw new IllegalStateException(
                        "js function " + descriptor.name() + " has an MQTT trigger");
            }
        }
        FunctionSpec spec = new FunctionSpec(descriptor.name(), descriptor.maxConcurrency(), descriptor.timeoutMillis(),
                RetryPolicy.exponential(descriptor.retries()), queueCapacity, twin, safetyCritical);
        return FunctionWiring.of(new FunctionRuntime(spec, instances(descriptor, pkg, host), byInput, Map.of(), null, host),
                timers);
    }

    /**
     * Creates the function's {@link JsFunction} — on the supervisor's start thread, under its start
     * timeout — closing the one it replaces on a restart.
     */
    private static Supplier<Object> instances(FunctionDescriptor descriptor, LoadedPackage pkg, HostServices host) {
        String code = pkg.script(descriptor.source());
        AtomicReference<JsFunction> current = new AtomicReference<>();
        return () -> {
            JsFunctions js = pkg.js();
            JsFunction created = JsFunction.start(js.engine(), descriptor, code, host.codec(), host.devices());
            js.started(created);
            JsFunction previous = current.getAndSet(created);
            if (previous != null) {
                previous.close();
            }
            return created;
        };
    }
}
