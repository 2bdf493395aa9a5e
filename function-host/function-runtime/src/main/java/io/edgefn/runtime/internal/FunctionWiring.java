package io.edgefn.runtime.internal;

import io.edgefn.bindings.BindingServices;
import io.edgefn.bindings.ParameterBinder;
import io.edgefn.bindings.ParameterBinders;
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
 * methods, desired-properties method and timers, each trigger method bound to its generated
 * invoker and parameter binders.
 */
final class FunctionWiring {

    /** A timer-triggered method and when it fires. */
    record TimerMethod(BoundMethod method, Schedule schedule) {
    }

    private final FunctionRuntime runtime;
    private final List<TimerMethod> timers;

    private FunctionWiring(FunctionRuntime runtime, List<TimerMethod> timers) {
        this.runtime = runtime;
        this.timers = timers;
    }

    /** A wiring of {@code runtime} with its {@code timers}: for {@link JsWiring}. */
    static FunctionWiring of(FunctionRuntime runtime, List<TimerMethod> timers) {
        return new FunctionWiring(runtime, timers);
    }

    /** Binds {@code descriptor}'s methods in {@code pkg} and creates (without starting) its runtime. */
    static FunctionWiring wire(FunctionDescriptor descriptor, LoadedPackage pkg, HostServices host,
                                      TwinProperties twin, boolean safetyCritical, int queueCapacity) {
        if (descriptor.isJs()) {
            return JsWiring.wire(descriptor, pkg, host, twin, safetyCritical, queueCapacity);
        }
        BeanDefinition<Object> definition = pkg.definition(descriptor.className());
        Map<String, BoundMethod> byInput = new LinkedHashMap<>();
        Map<String, BoundMethod> byMethodName = new LinkedHashMap<>();
        BoundMethod onDesired = null;
        List<TimerMethod> timers = new ArrayList<>();
        BindingServices bindingServices = new BindingServices(host.codec(), host.devices());
        for (MethodDescriptor m : descriptor.methods()) {
            ExecutableMethod<Object, Object> executable = pkg.method(definition, m);
            MethodTarget invoker = executable::invoke;
            List<Type> types = Arrays.stream(executable.getArguments()).<Type>map(Argument::asType).toList();
            ParameterBinder[] binders = ParameterBinders.forMethod(descriptor.name(), m, types, bindingServices);
            host.codec().prepareWriting(executable.getReturnType().getType());
            switch (m.trigger()) {
                case TriggerDescriptor.Route route ->
                        byInput.put(route.input(), new BoundMethod(m.name(), invoker, binders, m.returnOutput(), route.input()));
                case TriggerDescriptor.Timer timer -> timers.add(new TimerMethod(
                        new BoundMethod(m.name(), invoker, binders, m.returnOutput(), null),
                        Schedule.parse(timer.fixedRate(), timer.cron())));
                case TriggerDescriptor.DirectMethod direct -> byMethodName.put(direct.method(),
                        new BoundMethod(m.name(), invoker, binders, null, null));
                case TriggerDescriptor.DesiredProperties desired ->
                        onDesired = new BoundMethod(m.name(), invoker, binders, m.returnOutput(), FunctionRuntime.DESIRED_INPUT);
            }
        }
        FunctionSpec spec = new FunctionSpec(descriptor.name(), descriptor.maxConcurrency(), descriptor.timeoutMillis(),
                RetryPolicy.exponential(descriptor.retries()), queueCapacity, twin, safetyCritical);
        return new FunctionWiring(new FunctionRuntime(spec, pkg.beanFactory(definition), byInput, byMethodName, onDesired,
                host), timers);
    }

    /** The function's runtime. */
    FunctionRuntime runtime() {
        return runtime;
    }

    /** Starts the function's timers on {@code scheduler}. */
    void startTimers(TimerScheduler scheduler) {
        for (TimerMethod t : timers) {
            scheduler.start(runtime.name() + "." + t.method().name(), t.schedule(), () -> runtime.tick(t.method()));
        }
    }
}
