package io.edgefn.runtime.internal;

import io.edgefn.bindings.BindingServices;
import io.edgefn.bindings.ParameterBinder;
import io.edgefn.bindings.ParameterBinders;
import io.edgefn.bindings.state.StateStores;
import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.MethodDescriptor;
import io.edgefn.index.TriggerDescriptor;
import io.edgefn.runtime.RetryPolicy;
import io.edgefn.triggers.Schedule;
import io.edgefn.triggers.TimerScheduler;
import io.micronaut.core.type.Argument;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.ExecutableMethod;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wires one function described by its package's index: its runtime, its route inputs, direct
 * methods, desired-properties method, timers, lifecycle hooks and device events, each method bound
 * to its generated invoker and parameter binders, with its own retry policy if it has one.
 */
final class FunctionWiring {

    /** A timer-triggered method and when it fires. */
    record TimerMethod(BoundMethod method, Schedule schedule) {
    }

    /** The queue key of an {@code @MqttTrigger} method is this and its name: not an identifier, so no route input's. */
    static final String MQTT_INPUT_PREFIX = "$mqtt:";

    /** A method with {@code @WarmUp} and the synthetic message its binders take at activation. */
    record WarmUpCall(BoundMethod method, io.edgefn.api.Message message) {
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FunctionWiring.class);

    private final FunctionRuntime runtime;
    private final List<TimerMethod> timers;
    private final List<WarmUpCall> warmUps;
    private final TwinProperties twin;

    private FunctionWiring(FunctionRuntime runtime, List<TimerMethod> timers, List<WarmUpCall> warmUps, TwinProperties twin) {
        this.runtime = runtime;
        this.timers = timers;
        this.warmUps = List.copyOf(warmUps);
        this.twin = twin;
    }

    /** A wiring of {@code runtime} with its {@code timers}: for {@link JsWiring} (no warm-up). */
    static FunctionWiring of(FunctionRuntime runtime, List<TimerMethod> timers) {
        return new FunctionWiring(runtime, timers, List.of(), null);
    }

    /**
     * Binds {@code descriptor}'s methods in {@code pkg} and creates (without starting) its runtime;
     * the stores its {@code State} parameters name are opened (and recovered) from {@code states}.
     */
    static FunctionWiring wire(FunctionDescriptor descriptor, LoadedPackage pkg, HostServices host,
                                      TwinProperties twin, StateStores states, boolean safetyCritical, int queueCapacity) {
        return wire(descriptor, pkg, host, twin, states, safetyCritical, queueCapacity, null);
    }

    /**
     * Binds {@code descriptor}'s methods in {@code pkg}, creates (without starting) its runtime,
     * and subscribes its {@code @MqttTrigger} methods on {@code mqtt} (may be null when it has none).
     */
    static FunctionWiring wire(FunctionDescriptor descriptor, LoadedPackage pkg, HostServices host,
                               TwinProperties twin, StateStores states, boolean safetyCritical, int queueCapacity,
                               MqttBrokers mqtt) {
        if (descriptor.isJs()) {
            return JsWiring.wire(descriptor, pkg, host, twin, safetyCritical, queueCapacity);
        }
        BeanDefinition<Object> definition = pkg.definition(descriptor.className());
        Map<String, BoundMethod> byInput = new LinkedHashMap<>();
        Map<String, BoundMethod> byMethodName = new LinkedHashMap<>();
        BoundMethod onDesired = null;
        BoundMethod onStart = null;
        BoundMethod onStop = null;
        List<HttpRoute> httpRoutes = new ArrayList<>();
        List<TimerMethod> timers = new ArrayList<>();
        BindingServices bindingServices = new BindingServices(host.codec(), host.devices()).withHttp(host.httpCalls())
                .withStates(states);
        if (mqtt != null) {
            bindingServices = bindingServices.withMqtt(mqtt::publisher);
        }
        Map<String, TriggerDescriptor.Mqtt> mqttTriggers = new LinkedHashMap<>();
        List<WarmUpCall> warmUps = new ArrayList<>();
        for (MethodDescriptor m : descriptor.methods()) {
            ExecutableMethod<Object, Object> executable = pkg.method(definition, m);
            MethodTarget invoker = executable::invoke;
            List<Type> types = Arrays.stream(executable.getArguments()).<Type>map(Argument::asType).toList();
            ParameterBinder[] binders = ParameterBinders.forMethod(descriptor.name(), m, types, bindingServices);
            host.codec().prepareWriting(executable.getReturnType().getType());
            RetryPolicy retry = m.retry() == null ? null : RetryPolicy.of(m.retry());
            switch (m.trigger()) {
                case TriggerDescriptor.Route route -> {
                    BoundMethod bound = new BoundMethod(m.name(), invoker, binders, m.returnOutput(), route.input(), retry);
                    byInput.put(route.input(), bound);
                    warmUp(executable, bound).ifPresent(warmUps::add);
                }
                case TriggerDescriptor.Timer timer -> timers.add(new TimerMethod(
                        new BoundMethod(m.name(), invoker, binders, m.returnOutput(), null, retry),
                        Schedule.parse(timer.fixedRate(), timer.cron())));
                case TriggerDescriptor.DirectMethod direct -> byMethodName.put(direct.method(),
                        new BoundMethod(m.name(), invoker, binders, null, null));
                case TriggerDescriptor.DesiredProperties desired ->
                        onDesired = new BoundMethod(m.name(), invoker, binders, m.returnOutput(), FunctionRuntime.DESIRED_INPUT,
                                retry);
                case TriggerDescriptor.Lifecycle hook -> {
                    BoundMethod bound = new BoundMethod(m.name(), invoker, binders, null, null);
                    if (hook.phase() == TriggerDescriptor.Lifecycle.Phase.START) {
                        onStart = bound;
                    } else {
                        onStop = bound;
                    }
                }
                // The generated route (DeploymentPlan) delivers the device's messages to this input.
                case TriggerDescriptor.DeviceEvent event -> {
                    BoundMethod bound = new BoundMethod(m.name(), invoker, binders, m.returnOutput(), event.input(), retry);
                    byInput.put(event.input(), bound);
                    warmUp(executable, bound).ifPresent(warmUps::add);
                }
                case TriggerDescriptor.Http http -> httpRoutes.add(new HttpRoute(io.edgefn.index.HttpPath.parse(http.path()),
                        http.methods(), new BoundMethod(m.name(), invoker, binders, null, null)));
                case TriggerDescriptor.Mqtt mqttTrigger -> {
                    // Queued like a route input, under a key no route input can have.
                    String key = MQTT_INPUT_PREFIX + m.name();
                    byInput.put(key, new BoundMethod(m.name(), invoker, binders, m.returnOutput(), key, retry));
                    mqttTriggers.put(key, mqttTrigger);
                }
            }
        }
        FunctionSpec spec = new FunctionSpec(descriptor.name(), descriptor.maxConcurrency(), descriptor.timeoutMillis(),
                RetryPolicy.exponential(descriptor.retries()), queueCapacity, twin, safetyCritical);
        FunctionRuntime runtime = new FunctionRuntime(spec, pkg.beanFactory(definition), byInput, byMethodName, onDesired,
                httpRoutes, new FunctionRuntime.Hooks(onStart, onStop), host);
        mqttTriggers.forEach((key, t) -> mqtt.subscribe(t.broker(), t.topics(), t.qos(), new MqttInput(runtime, key)));
        return new FunctionWiring(runtime, timers, warmUps, twin);
    }

    /** The method's {@code @WarmUp} as a synthetic message for {@code bound}, if it has one. */
    private static java.util.Optional<WarmUpCall> warmUp(ExecutableMethod<Object, Object> executable, BoundMethod bound) {
        io.edgefn.api.WarmUp warmUp = executable.getTargetMethod().getAnnotation(io.edgefn.api.WarmUp.class);
        if (warmUp == null) {
            return java.util.Optional.empty();
        }
        io.edgefn.api.Message.Builder message = io.edgefn.api.Message.builder().body(warmUp.body());
        for (String property : warmUp.properties()) {
            int eq = property.indexOf('=');
            if (eq > 0) { // the processor reports any other
                message.property(property.substring(0, eq), property.substring(eq + 1));
            }
        }
        return java.util.Optional.of(new WarmUpCall(bound, message.build()));
    }

    /**
     * Binds each {@code @WarmUp} method's synthetic message with the method's own binders and
     * drops the arguments: the binding path is loaded, linked and run before the first real
     * message, and nothing else happens — the method is not called, nothing is routed or sent,
     * no counter moves. A body that does not bind is logged; the function starts all the same.
     * {@code listener} hears of each. Called on the host's starting thread, before the function
     * starts.
     */
    void warmUp(java.time.InstantSource clock, io.edgefn.runtime.HostListener listener) {
        for (WarmUpCall w : warmUps) {
            Throwable failure = null;
            try {
                Invocation scope = new Invocation(runtime.name(), runtime.name() + "#warm-up", w.message(), clock, twin);
                for (ParameterBinder binder : w.method().binders()) {
                    binder.bind(scope);
                }
            } catch (RuntimeException e) {
                failure = e;
                LOG.warn("function {}: the @WarmUp message of method {} does not bind ({}); the first real message will"
                        + " take the cold path", runtime.name(), w.method().name(), e.getMessage());
            }
            try {
                if (listener != null) {
                    listener.warmUpFinished(runtime.name(), w.method().name(), failure);
                }
            } catch (RuntimeException e) {
                LOG.warn("a host listener failed on the warm-up of {}: {}", runtime.name(), e.toString());
            }
        }
    }

    /** The function's runtime. */
    FunctionRuntime runtime() {
        return runtime;
    }

    /** Starts the function's timers on {@code scheduler}; returns them, to cancel when the function is replaced. */
    List<TimerScheduler.Timer> startTimers(TimerScheduler scheduler) {
        List<TimerScheduler.Timer> started = new ArrayList<>();
        for (TimerMethod t : timers) {
            started.add(scheduler.start(runtime.name() + "." + t.method().name(), t.schedule(), () -> runtime.tick(t.method())));
        }
        return started;
    }
}
