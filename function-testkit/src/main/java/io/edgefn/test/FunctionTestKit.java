package io.edgefn.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.bindings.BindingServices;
import io.edgefn.bindings.BodyCodec;
import io.edgefn.bindings.JsonSettings;
import io.edgefn.bindings.state.StateLimits;
import io.edgefn.bindings.state.StateStores;
import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.FunctionIndex;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs functions in-process for unit tests, wired exactly as the host wires them — the package's
 * function index, Micronaut's generated invokers, the host's parameter binders, body codec,
 * settings and timer schedules — but on the test's thread, with a {@linkplain TestClock fake clock}
 * and {@linkplain ScriptedDevices scripted devices}, and without a host process, routes or a
 * buffer.
 *
 * <pre>{@code
 * try (FunctionTestKit kit = FunctionTestKit.of(TemperatureFilter.class).settings(Map.of("threshold", 60)).start()) {
 *     kit.send("in", "{\"temperature\": 99}");
 *     assertThat(kit.outputs("out")).hasSize(1);
 * }
 * }</pre>
 *
 * <p>A function's index and its Micronaut metadata are read from the test class path, where the
 * build's annotation processors wrote them; functions are created once, at {@link Builder#start()},
 * and keep their fields for the kit's life, as for a deployment's life in the host. Every call runs
 * the function at once on the calling thread: there are no queues, retries or timeouts, and an
 * invocation that throws fails the call with a {@link FunctionFailedException} (what it sent is
 * discarded, as in the host) — a method's {@code @Retry} is not applied either: the test sees the
 * first failure. A function's {@code @OnStart} method runs when the kit starts (a throw fails
 * {@link Builder#start()}), its {@code @OnStop} method when the kit closes. Messages for a
 * {@code @DeviceEventTrigger} go in with {@link #sendFromDevice}. Messages are delivered as given: the kit stamps no message id or
 * device, so a test that needs a device's id sends one ({@link #deviceMessage}).
 *
 * <p>A function's {@code State} stores live in memory for the kit's life, or durably in a directory
 * ({@link Builder#stateDirectory}) so that a second kit on it is a restart; {@link #state} shows what
 * they hold. Its twin keeps what it reports ({@link #reported}).
 *
 * <p>Not thread-safe: one test's thread owns a kit.
 */
public final class FunctionTestKit implements AutoCloseable {

    /** The test clock's default start: a fixed instant, so tests are repeatable. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ApplicationContext context;
    private final Map<String, TestFunction> functions;
    private final TestClock clock;
    private final ScriptedDevices devices;
    private final Map<String, Map<String, List<Message>>> outputs = new HashMap<>();
    private final Map<String, StateStores> states;
    private boolean closed;

    /** What the functions published through their MqttPublishers; filled from any thread. */
    private final List<PublishedMqtt> published;

    private FunctionTestKit(ApplicationContext context, Map<String, TestFunction> functions, TestClock clock,
                            ScriptedDevices devices, Map<String, StateStores> states, List<PublishedMqtt> published) {
        this.states = states;
        this.published = published;
        this.context = context;
        this.functions = functions;
        this.clock = clock;
        this.devices = devices;
        clock.drive(new TestClock.TimerDriver() {
            @Override
            public Instant nextDue(Instant until) {
                return FunctionTestKit.this.nextDue(until);
            }

            @Override
            public void fire(Instant now) {
                FunctionTestKit.this.fire(now);
            }
        });
    }

    /** A kit for the one function {@code functionClass}, an {@code @EdgeFunction} class. */
    public static Builder of(Class<?> functionClass) {
        Objects.requireNonNull(functionClass, "functionClass");
        return new Builder(functionClass.getName(), null,
                functionClass.getClassLoader() != null ? functionClass.getClassLoader() : defaultLoader());
    }

    /**
     * A kit for every function whose class is in the Java package {@code javaPackage} or below it,
     * e.g. {@code "io.edgefn.examples.pump"}; address them by function name.
     */
    public static Builder ofPackage(String javaPackage) {
        Objects.requireNonNull(javaPackage, "javaPackage");
        return new Builder(null, javaPackage, defaultLoader());
    }

    /**
     * A message as a device sends it: {@code json} as a UTF-8 JSON body (content type
     * {@code application/json}, encoding {@code utf-8}) from the device {@code deviceId}
     * ({@code connectionDeviceId}).
     */
    public static Message deviceMessage(String deviceId, String json) {
        return jsonMessage(json).toBuilder()
                .systemProperty(SystemProperties.CONNECTION_DEVICE_ID, Objects.requireNonNull(deviceId, "deviceId"))
                .build();
    }

    private static Message jsonMessage(String json) {
        return Message.builder().body(Objects.requireNonNull(json, "json"))
                .systemProperty(SystemProperties.CONTENT_TYPE, "application/json")
                .systemProperty(SystemProperties.CONTENT_ENCODING, "utf-8")
                .build();
    }

    private static ClassLoader defaultLoader() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return loader != null ? loader : FunctionTestKit.class.getClassLoader();
    }

    /**
     * Delivers {@code message} to {@code input} of the kit's one function and runs the method it
     * triggers.
     *
     * @throws IllegalStateException    when the kit runs several functions (name one)
     * @throws IllegalArgumentException when the function has no such input
     * @throws FunctionFailedException  when the invocation throws
     */
    public void send(String input, Message message) {
        send(only().name(), input, message);
    }

    /** Delivers {@code json} as a JSON message (no device) to {@code input} of the kit's one function. */
    public void send(String input, String json) {
        send(input, jsonMessage(json));
    }

    /**
     * Delivers {@code message} to {@code input} of the function {@code function} and runs the
     * method it triggers.
     *
     * @throws IllegalArgumentException when the kit has no such function or it no such input
     * @throws FunctionFailedException  when the invocation throws
     */
    public void send(String function, String input, Message message) {
        Objects.requireNonNull(message, "message");
        TestFunction f = function(function);
        record(f, f.send(Objects.requireNonNull(input, "input"), message));
    }

    /**
     * Delivers {@code json} as a message of device {@code deviceId} ({@link #deviceMessage}) to every
     * function with a {@code @DeviceEventTrigger} for that device, as the generated route would,
     * and runs the methods it triggers.
     *
     * @throws IllegalArgumentException when no function listens to the device
     * @throws FunctionFailedException  when an invocation throws
     */
    public void sendFromDevice(String deviceId, String json) {
        Message message = deviceMessage(deviceId, json);
        boolean delivered = false;
        for (TestFunction f : functions.values()) {
            if (f.listensTo(deviceId)) {
                record(f, f.send(io.edgefn.index.TriggerDescriptor.DeviceEvent.INPUT_PREFIX + deviceId, message));
                delivered = true;
            }
        }
        if (!delivered) {
            throw new IllegalArgumentException("no function of the kit has a @DeviceEventTrigger for device '" + deviceId + "'");
        }
    }

    /**
     * Calls the direct method {@code method} of the kit's one function with the JSON
     * {@code payload}, as the cloud would; its answer: the {@link io.edgefn.api.MethodResult} it
     * returned, or 200 with the value it returned.
     *
     * @throws IllegalArgumentException when the function serves no such method
     * @throws FunctionFailedException  when the method throws (the host answers that with 500)
     */
    public io.edgefn.api.MethodResult invokeMethod(String method, String payload) {
        return only().call(Objects.requireNonNull(method, "method"), Objects.requireNonNull(payload, "payload"));
    }

    /**
     * Sends the kit's one function the HTTP request {@code method path} ({@code path} below
     * {@code /fn/<function>/}, without a query) with {@code body} (may be null), as the host would;
     * its answer: the {@link io.edgefn.api.HttpResult} it returned, 204 for no value, or 200 with
     * the value it returned.
     *
     * @throws IllegalArgumentException when no {@code @HttpTrigger} method serves it
     * @throws FunctionFailedException  when the method throws (the host answers that with 500)
     */
    public io.edgefn.api.HttpResult invokeHttp(String method, String path, String body) {
        return only().http(Objects.requireNonNull(method, "method"), Objects.requireNonNull(path, "path"), body, Map.of());
    }

    /** As {@link #invokeMethod(String, String)}, on the function {@code function}. */
    public io.edgefn.api.MethodResult invokeMethod(String function, String method, String payload) {
        return function(function).call(Objects.requireNonNull(method, "method"), Objects.requireNonNull(payload, "payload"));
    }

    /**
     * What the kit's one function has sent to {@code output} so far, oldest first, stamped as the
     * host stamps them ({@code connectionModuleId} = the function, {@code outputName} = the output).
     */
    public List<Message> outputs(String output) {
        return outputs(only().name(), output);
    }

    /** What the function {@code function} has sent to {@code output} so far, oldest first. */
    public List<Message> outputs(String function, String output) {
        TestFunction f = function(function);
        if (!f.descriptor.outputs().contains(output)) {
            throw new IllegalArgumentException("function '" + function + "' has no output '" + output
                    + "'; its outputs: " + f.descriptor.outputs());
        }
        return List.copyOf(outputs.getOrDefault(function, Map.of()).getOrDefault(output, List.of()));
    }

    /**
     * Delivers an MQTT message published on {@code topic} of {@code broker} ({@code ""} for the
     * gateway's hub) to every {@code @MqttTrigger} method subscribed there to a matching filter, as
     * the host would (the topic as the property {@code mqtt-topic}); returns how many methods ran.
     *
     * @throws FunctionFailedException when an invocation throws
     */
    public int mqtt(String broker, String topic, String payload) {
        return mqtt(broker, topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** As {@link #mqtt(String, String, String)} with a binary payload. */
    public int mqtt(String broker, String topic, byte[] payload) {
        int ran = 0;
        for (TestFunction f : functions.values()) {
            List<Message> sent = f.mqtt(Objects.requireNonNull(broker, "broker"), Objects.requireNonNull(topic, "topic"),
                    Objects.requireNonNull(payload, "payload"));
            record(f, sent);
            ran += sent.isEmpty() ? 0 : 1;
        }
        return ran;
    }

    /** What the functions published through their {@code MqttPublisher}s so far, oldest first (each publish succeeds at once). */
    public List<PublishedMqtt> mqttPublished() {
        return List.copyOf(published);
    }

    /** Forgets every output collected so far. */
    public void clearOutputs() {
        outputs.clear();
    }

    /** The clock the functions see; advancing it fires their timers. */
    public TestClock clock() {
        return clock;
    }

    /** The devices the functions command; script their answers here. */
    public ScriptedDevices devices() {
        return devices;
    }

    /** The names of the functions this kit runs, sorted. */
    public List<String> functionNames() {
        return functions.keySet().stream().sorted().toList();
    }

    /**
     * What the kit's one function holds in its state store {@code store}, key by key as JSON,
     * sorted by key; empty when no method binds that store or nothing was put.
     */
    public Map<String, JsonNode> state(String store) {
        return state(only().name(), store);
    }

    /** What the function {@code function} holds in its state store {@code store}. */
    public Map<String, JsonNode> state(String function, String store) {
        function(function);
        return states.get(function).contents(Objects.requireNonNull(store, "store"));
    }

    /** The reported properties of the kit's one function's twin, as JSON: what it patched so far. */
    public JsonNode reported() {
        return only().twin.reportedJson();
    }

    /** The reported properties of the function {@code function}. */
    public JsonNode reported(String function) {
        return function(function).twin.reportedJson();
    }


    /**
     * Runs every function's {@code @OnStop} method, then closes the state stores and the Micronaut context (functions
     * that hold resources may release them).
     *
     * @throws FunctionFailedException after closing, when an {@code @OnStop} method threw (the
     *                                 host logs that and stops anyway; a test should hear of it)
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            FunctionFailedException failed = null;
            for (TestFunction f : functions.values()) {
                try {
                    f.stop();
                } catch (FunctionFailedException e) {
                    failed = failed == null ? e : failed;
                }
            }
            states.values().forEach(StateStores::close);
            context.close();
            if (failed != null) {
                throw failed;
            }
        }
    }

    private TestFunction only() {
        if (functions.size() != 1) {
            throw new IllegalStateException("this kit runs " + functions.size() + " functions " + functionNames()
                    + "; name the function: send(function, input, message), outputs(function, output)");
        }
        return functions.values().iterator().next();
    }

    private TestFunction function(String name) {
        if (closed) {
            throw new IllegalStateException("the kit is closed");
        }
        TestFunction f = functions.get(Objects.requireNonNull(name, "function"));
        if (f == null) {
            throw new IllegalArgumentException("the kit runs no function '" + name + "'; it runs " + functionNames());
        }
        return f;
    }

    private void record(TestFunction f, List<Message> sent) {
        for (Message m : sent) {
            String output = m.systemProperty(SystemProperties.OUTPUT_NAME);
            outputs.computeIfAbsent(f.name(), k -> new HashMap<>()).computeIfAbsent(output, k -> new ArrayList<>()).add(m);
        }
    }

    private Instant nextDue(Instant until) {
        Instant earliest = null;
        for (TestFunction f : functions.values()) {
            for (TestFunction.Timer t : f.timers) {
                if (t.next != null && !t.next.isAfter(until) && (earliest == null || t.next.isBefore(earliest))) {
                    earliest = t.next;
                }
            }
        }
        return earliest;
    }

    private void fire(Instant now) {
        for (TestFunction f : functions.values()) {
            for (TestFunction.Timer t : f.timers) {
                if (now.equals(t.next)) {
                    t.next = t.schedule.next(now).orElse(null);
                    record(f, f.tick(t.method));
                }
            }
        }
    }

    /**
     * Configures a {@link FunctionTestKit}: settings per function and the clock's start. Not
     * thread-safe.
     */
    public static final class Builder {

        private final String className;
        private final String javaPackage;
        private final ClassLoader loader;
        private final Map<String, Map<String, ?>> settings = new HashMap<>();
        private final Map<String, Map<String, ?>> desired = new HashMap<>();
        private Instant start = DEFAULT_START;
        private Path stateDirectory;

        private Builder(String className, String javaPackage, ClassLoader loader) {
            this.className = className;
            this.javaPackage = javaPackage;
            this.loader = loader;
        }

        /**
         * The settings of the kit's function, as a deployment's package {@code settings} gives them
         * (JSON-like values: strings, numbers, booleans, lists, maps); for a kit over a whole
         * package, the settings every function gets unless named in {@link #settings(String, Map)}.
         */
        public Builder settings(Map<String, ?> values) {
            settings.put(null, Map.copyOf(values));
            return this;
        }

        /** The settings of the function {@code function}. */
        public Builder settings(String function, Map<String, ?> values) {
            settings.put(Objects.requireNonNull(function, "function"), Map.copyOf(values));
            return this;
        }

        /**
         * The deployment's {@code desired} properties for the kit's function (for a package: every
         * function), which overlay its settings key by key.
         */
        public Builder desired(Map<String, ?> values) {
            desired.put(null, Map.copyOf(values));
            return this;
        }

        /** The {@code desired} properties of the function {@code function}. */
        public Builder desired(String function, Map<String, ?> values) {
            desired.put(Objects.requireNonNull(function, "function"), Map.copyOf(values));
            return this;
        }

        /**
         * Keeps the functions' {@code State} stores durably in {@code directory}, one folder per
         * function ({@code <directory>/<function>/<store>.log}, the host's layout under its data
         * directory's {@code state/}): a kit started on a directory a closed kit used sees what that
         * kit stored, as a host does after a restart. Without it, stores are in memory for the kit's life.
         */
        public Builder stateDirectory(Path directory) {
            this.stateDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Where the test clock starts; {@link #DEFAULT_START} unless given. */
        public Builder startingAt(Instant instant) {
            this.start = Objects.requireNonNull(instant, "instant");
            return this;
        }

        /**
         * Finds the functions in the function indexes on the class path, creates them and their
         * timers (each first fires one period after the clock's start).
         *
         * @throws IllegalStateException when no index lists the class or package, or a function
         *                               cannot be wired (the message says which and why)
         */
        public FunctionTestKit start() {
            List<FunctionDescriptor> chosen = choose(indexes());
            for (String named : union(settings.keySet(), desired.keySet())) {
                if (named != null && chosen.stream().noneMatch(f -> f.name().equals(named))) {
                    throw new IllegalStateException("settings were given for function '" + named
                            + "', which this kit does not run; it runs " + chosen.stream().map(FunctionDescriptor::name).toList());
                }
            }
            TestClock clock = new TestClock(start);
            ScriptedDevices devices = new ScriptedDevices();
            List<PublishedMqtt> publishedSink = new java.util.concurrent.CopyOnWriteArrayList<>();
            BodyCodec codec = new BodyCodec();
            BindingServices services = new BindingServices(codec, devices).withMqtt(broker -> new io.edgefn.bindings.PayloadPublisher(codec,
                    (topic, payload, qos, retain) -> {
                        if (!io.edgefn.triggers.mqtt.TopicFilters.isTopicName(topic)) {
                            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalArgumentException(
                                    "cannot publish to topic '" + topic + "': a topic is not empty and holds no '+' or '#'"));
                        }
                        publishedSink.add(new PublishedMqtt(broker, topic, payload, qos, retain));
                        return java.util.concurrent.CompletableFuture.completedFuture(null);
                    }));
            ApplicationContext context = ApplicationContext.builder().classLoader(loader)
                    .deduceEnvironment(false).banner(false).start();
            Map<String, StateStores> states = new LinkedHashMap<>();
            try {
                Map<String, TestFunction> functions = new LinkedHashMap<>();
                for (FunctionDescriptor d : chosen) {
                    Map<String, ?> desiredValues = desired.getOrDefault(d.name(), desired.get(null));
                    JsonSettings s = JsonSettings.of(d.name(), tree(settings.getOrDefault(d.name(), settings.get(null))),
                            tree(desiredValues));
                    StateStores stores = stateDirectory == null
                            ? StateStores.inMemory(d.name(), codec.mapper(), StateLimits.DEFAULTS)
                            : StateStores.durable(d.name(), stateDirectory.resolve(d.name()), codec.mapper(), StateLimits.DEFAULTS);
                    states.put(d.name(), stores);
                    functions.put(d.name(), TestFunction.wire(d, context, loader, services.withStates(stores),
                            s, clock, new TestTwin(desiredValues)));
                }
                return new FunctionTestKit(context, functions, clock, devices, states, publishedSink);
            } catch (RuntimeException | Error e) {
                states.values().forEach(StateStores::close);
                context.close();
                throw e;
            }
        }

        private static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
            List<String> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        }

        private static JsonNode tree(Map<String, ?> values) {
            return values == null ? null : MAPPER.valueToTree(values);
        }

        private List<FunctionDescriptor> choose(Map<String, FunctionIndex> indexes) {
            List<FunctionDescriptor> chosen = new ArrayList<>();
            for (FunctionIndex index : indexes.values()) {
                for (FunctionDescriptor f : index.functions()) {
                    if (className != null ? f.className().equals(className)
                            : f.className().startsWith(javaPackage + ".")) {
                        chosen.add(f);
                    }
                }
            }
            if (chosen.isEmpty()) {
                String what = className != null ? "the class " + className : "a class in the package " + javaPackage;
                throw new IllegalStateException("no function index on the test class path lists " + what
                        + "; is it annotated @EdgeFunction, and does the build run edgefn-processor (the compiler's"
                        + " annotationProcessorPaths)? Indexes found: " + (indexes.isEmpty() ? "none" : indexes.keySet()));
            }
            return chosen;
        }

        private Map<String, FunctionIndex> indexes() {
            Map<String, FunctionIndex> found = new LinkedHashMap<>();
            try {
                Enumeration<URL> urls = loader.getResources(FunctionIndex.RESOURCE);
                for (URL url : Collections.list(urls)) {
                    try (InputStream in = url.openStream()) {
                        found.put(url.toString(), FunctionIndex.parse(in, url.toString()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the function indexes (" + FunctionIndex.RESOURCE
                        + ") on the test class path: " + e.getMessage(), e);
            }
            return found;
        }
    }
}
