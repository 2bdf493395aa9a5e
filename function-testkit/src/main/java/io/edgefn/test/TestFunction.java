package io.edgefn.test;

import io.edgefn.api.Message;
import io.edgefn.bindings.BindingServices;
import io.edgefn.bindings.BodyCodec;
import io.edgefn.bindings.CollectingOutput;
import io.edgefn.bindings.JsonSettings;
import io.edgefn.bindings.ParameterBinder;
import io.edgefn.bindings.ParameterBinders;
import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.MethodDescriptor;
import io.edgefn.index.TriggerDescriptor;
import io.edgefn.triggers.Schedule;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.ExecutableMethod;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One function in the kit, wired as the host wires it: its bean from the Micronaut context, each
 * trigger method's generated invoker with the host's parameter binders, its timers parsed by the
 * host's {@link Schedule}. Calls run on the caller's thread, one at a time.
 */
final class TestFunction {

    private static final Map<String, Class<?>> PRIMITIVES = Map.of(
            "boolean", boolean.class, "byte", byte.class, "char", char.class, "short", short.class,
            "int", int.class, "long", long.class, "float", float.class, "double", double.class);

    record Bound(String name, ExecutableMethod<Object, Object> invoker, ParameterBinder[] binders, String returnOutput) {
    }

    /** A timer method and when it fires next ({@code null}: never again). */
    static final class Timer {
        final Bound method;
        final Schedule schedule;
        Instant next;

        Timer(Bound method, Schedule schedule, Instant next) {
            this.method = method;
            this.schedule = schedule;
            this.next = next;
        }
    }

    final FunctionDescriptor descriptor;
    private final Object bean;
    private final Map<String, Bound> byInput;
    private final Map<String, Bound> byMethod;
    /** Each {@code @HttpTrigger} path with its methods and bound method. */
    private final List<HttpBound> byHttp = new ArrayList<>();

    private record HttpBound(io.edgefn.index.HttpPath path, List<String> methods, Bound bound) {
    }
    final List<Timer> timers;
    /** The {@code @MqttTrigger} methods with their triggers. */
    private final List<Map.Entry<TriggerDescriptor.Mqtt, Bound>> mqttMethods = new ArrayList<>();
    private final JsonSettings settings;
    private final BodyCodec codec;
    private final InstantSource clock;
    final TestTwin twin;
    private long invocations;
    private Bound onStop;

    private TestFunction(FunctionDescriptor descriptor, Object bean, Map<String, Bound> byInput, Map<String, Bound> byMethod,
                         List<Timer> timers,
                         JsonSettings settings, BodyCodec codec, InstantSource clock, TestTwin twin, Bound onStop) {
        this.twin = twin;
        this.onStop = onStop;
        this.descriptor = descriptor;
        this.bean = bean;
        this.byInput = byInput;
        this.byMethod = byMethod;
        this.timers = timers;
        this.settings = settings;
        this.codec = codec;
        this.clock = clock;
    }

    @SuppressWarnings("unchecked")
    static TestFunction wire(FunctionDescriptor descriptor, ApplicationContext context, ClassLoader loader,
                             BindingServices services, JsonSettings settings, InstantSource clock, TestTwin twin) {
        Class<?> type = load(descriptor.name(), descriptor.className(), loader);
        List<BeanDefinition<?>> found = context.getBeanDefinitions(type).stream()
                .filter(d -> d.getBeanType() == type).<BeanDefinition<?>>map(d -> d).toList();
        if (found.size() != 1) {
            throw new IllegalStateException("function '" + descriptor.name() + "': " + type.getName() + " has " + found.size()
                    + " Micronaut bean definitions on the class path, expected 1; is micronaut-inject-java in the"
                    + " compiler's annotationProcessorPaths?");
        }
        BeanDefinition<Object> definition = (BeanDefinition<Object>) found.get(0);
        Map<String, Bound> byInput = new LinkedHashMap<>();
        Map<String, Bound> byMethod = new LinkedHashMap<>();
        List<Timer> timers = new ArrayList<>();
        Bound onStart = null;
        Bound onStop = null;
        List<HttpBound> httpBound = new ArrayList<>();
        List<Map.Entry<TriggerDescriptor.Mqtt, Bound>> mqttMethods = new ArrayList<>();
        for (MethodDescriptor m : descriptor.methods()) {
            Class<?>[] parameterTypes = m.parameterTypes().stream().map(t -> load(descriptor.name(), t, loader))
                    .toArray(Class<?>[]::new);
            ExecutableMethod<Object, Object> invoker = (ExecutableMethod<Object, Object>) (ExecutableMethod<?, ?>)
                    definition.findMethod(m.name(), parameterTypes).orElseThrow(() -> new IllegalStateException(
                            "function '" + descriptor.name() + "': " + type.getName() + "." + m.name() + m.parameterTypes()
                                    + " has no generated invoker; recompile it with the edgefn processor"));
            List<Type> generic = Arrays.stream(invoker.getArguments()).<Type>map(Argument::asType).toList();
            ParameterBinder[] binders = ParameterBinders.forMethod(descriptor.name(), m, generic, services);
            Bound bound = new Bound(m.name(), invoker, binders, m.returnOutput());
            switch (m.trigger()) {
                case TriggerDescriptor.Route route -> byInput.put(route.input(), bound);
                case TriggerDescriptor.Timer timer -> {
                    Schedule schedule = Schedule.parse(timer.fixedRate(), timer.cron());
                    timers.add(new Timer(bound, schedule, schedule.next(clock.instant()).orElse(null)));
                }
                case TriggerDescriptor.DirectMethod method -> byMethod.put(method.method(), bound);
                // Desired patches reach a function through its twin in the host; the kit sets
                // desired properties up front (desired(…)) and does not deliver patches.
                case TriggerDescriptor.DesiredProperties desired -> { }
                case TriggerDescriptor.Lifecycle hook -> {
                    if (hook.phase() == TriggerDescriptor.Lifecycle.Phase.START) {
                        onStart = bound;
                    } else {
                        onStop = bound;
                    }
                }
                case TriggerDescriptor.DeviceEvent event -> byInput.put(event.input(), bound);
                case TriggerDescriptor.Http http -> httpBound.add(new HttpBound(io.edgefn.index.HttpPath.parse(http.path()),
                        http.methods(), bound));
                case TriggerDescriptor.Mqtt mqtt -> mqttMethods.add(Map.entry(mqtt, bound));
            }
        }
        Object bean;
        try {
            bean = context.getBean(definition);
        } catch (RuntimeException e) {
            throw new FunctionFailedException(descriptor.name(), "function '" + descriptor.name()
                    + "' could not be created: " + e.getMessage(), e);
        }
        TestFunction function = new TestFunction(descriptor, bean, byInput, byMethod, timers, settings, services.codec(),
                clock, twin, onStop);
        function.byHttp.addAll(httpBound);
        function.mqttMethods.addAll(mqttMethods);
        if (onStart != null) {
            function.invoke(onStart, null, "@OnStart");
        }
        return function;
    }

    /** Runs the {@code @OnStop} method, if any, once. */
    void stop() {
        Bound hook = onStop;
        onStop = null;
        if (hook != null) {
            invoke(hook, null, "@OnStop");
        }
    }

    /** Whether {@code device}'s messages trigger one of its methods ({@code @DeviceEventTrigger}). */
    boolean listensTo(String device) {
        return byInput.containsKey(TriggerDescriptor.DeviceEvent.INPUT_PREFIX + device);
    }

    /**
     * Runs the {@code @HttpTrigger} method serving {@code method path} (below the function) with
     * {@code body} (may be null); its answer as an {@link io.edgefn.api.HttpResult}: as returned,
     * 204 for no value, 200 for any other value.
     */
    io.edgefn.api.HttpResult http(String method, String path, String body, Map<String, List<String>> query) {
        List<String> segments = path.isEmpty() ? List.of() : List.of(path.split("/", -1));
        for (HttpBound h : byHttp) {
            Map<String, String> params = h.path().match(segments);
            if (params == null || !h.methods().contains(method)) {
                continue;
            }
            Message request = Message.builder().body(body == null ? "" : body).build();
            TestInvocation invocation = new TestInvocation(name(), name() + "#" + ++invocations, request, clock, settings, twin);
            invocation.httpRequest(new io.edgefn.api.HttpRequestData(method, "/fn/" + name() + "/" + path, params, query,
                    Map.of()));
            try {
                Object[] args = new Object[h.bound().binders().length];
                for (int i = 0; i < args.length; i++) {
                    args[i] = h.bound().binders()[i].bind(invocation);
                }
                Object result = h.bound().invoker().invoke(bean, args);
                return result instanceof io.edgefn.api.HttpResult r ? r
                        : result == null ? io.edgefn.api.HttpResult.noContent() : io.edgefn.api.HttpResult.ok(result);
            } catch (Throwable t) {
                throw new FunctionFailedException(name(), "function '" + name() + "' failed in " + h.bound().name()
                        + " on " + method + " '" + path + "': " + (t.getMessage() != null ? t.getMessage()
                        : t.getClass().getSimpleName()), t);
            }
        }
        throw new IllegalArgumentException("function '" + name() + "' serves no HTTP " + method + " '" + path + "'");
    }

    String name() {
        return descriptor.name();
    }

    /**
     * Runs the direct method {@code method} with the JSON {@code payload}; its result as the host
     * answers it: a {@link io.edgefn.api.MethodResult} as returned, any other value as 200.
     */
    io.edgefn.api.MethodResult call(String method, String payload) {
        Bound bound = byMethod.get(method);
        if (bound == null) {
            throw new IllegalArgumentException("function '" + name() + "' serves no direct method '" + method
                    + "'; it serves " + byMethod.keySet());
        }
        Message request = Message.builder().jsonBody(payload).build();
        TestInvocation invocation = new TestInvocation(name(), name() + "#" + ++invocations, request, clock, settings, twin);
        try {
            Object[] args = new Object[bound.binders().length];
            for (int i = 0; i < args.length; i++) {
                args[i] = bound.binders()[i].bind(invocation);
            }
            Object result = bound.invoker().invoke(bean, args);
            return result instanceof io.edgefn.api.MethodResult r ? r : io.edgefn.api.MethodResult.ok(result);
        } catch (Throwable t) {
            throw new FunctionFailedException(name(), "function '" + name() + "' failed in " + bound.name()
                    + " on direct method '" + method + "': " + (t.getMessage() != null ? t.getMessage()
                    : t.getClass().getSimpleName()), t);
        }
    }

    /** Runs the method triggered by {@code input} with {@code message}; what it sent. */
    List<Message> send(String input, Message message) {
        Bound method = byInput.get(input);
        if (method == null) {
            throw new IllegalArgumentException("function '" + name() + "' has no input '" + input + "'; its inputs: "
                    + descriptor.inputs());
        }
        return invoke(method, message, "input '" + input + "'");
    }

    /**
     * Runs every {@code @MqttTrigger} method subscribed on {@code broker} to a filter matching
     * {@code topic} with {@code payload}, in declaration order; what they sent.
     */
    List<Message> mqtt(String broker, String topic, byte[] payload) {
        List<Message> sent = new ArrayList<>();
        for (Map.Entry<TriggerDescriptor.Mqtt, Bound> m : mqttMethods) {
            if (m.getKey().broker().equals(broker)
                    && m.getKey().topics().stream().anyMatch(f -> io.edgefn.triggers.mqtt.TopicFilters.matches(f, topic))) {
                Message message = Message.builder().body(payload)
                        .property(io.edgefn.api.MqttTrigger.TOPIC_PROPERTY, topic).build();
                sent.addAll(invoke(m.getValue(), message, "MQTT topic '" + topic + "'"));
            }
        }
        return sent;
    }

    /** Runs a timer method once; what it sent. */
    List<Message> tick(Bound method) {
        return invoke(method, null, "a timer tick");
    }

    private List<Message> invoke(Bound method, Message message, String trigger) {
        TestInvocation invocation = new TestInvocation(name(), name() + "#" + ++invocations, message, clock, settings, twin);
        try {
            Object[] args = new Object[method.binders().length];
            for (int i = 0; i < args.length; i++) {
                args[i] = method.binders()[i].bind(invocation);
            }
            Object result = method.invoker().invoke(bean, args);
            List<Message> outputs = new ArrayList<>();
            if (method.returnOutput() != null && result != null && !(result instanceof Optional<?> o && o.isEmpty())) {
                Object value = result instanceof Optional<?> o ? o.get() : result;
                outputs.add(CollectingOutput.stamp(codec.write(value, Map.of()), name(), method.returnOutput()));
            }
            for (CollectingOutput<?> output : invocation.outputs()) {
                outputs.addAll(output.messages());
            }
            return outputs;
        } catch (Throwable t) {
            throw new FunctionFailedException(name(), "function '" + name() + "' failed in " + method.name() + " on "
                    + trigger + ": " + (t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName()), t);
        }
    }

    private static Class<?> load(String function, String typeName, ClassLoader loader) {
        Class<?> primitive = PRIMITIVES.get(typeName);
        if (primitive != null) {
            return primitive;
        }
        try {
            return Class.forName(typeName, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("function '" + function + "': cannot load " + typeName
                    + " from the test class path: " + e, e);
        }
    }
}
