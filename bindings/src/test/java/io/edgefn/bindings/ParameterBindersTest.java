package io.edgefn.bindings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefn.api.DeviceCommands;
import io.edgefn.api.FunctionContext;
import io.edgefn.api.Message;
import io.edgefn.api.Output;
import io.edgefn.api.Settings;
import io.edgefn.api.SystemProperties;
import io.edgefn.index.MethodDescriptor;
import io.edgefn.index.ParameterDescriptor;
import io.edgefn.index.TriggerDescriptor;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ParameterBindersTest {

    record Reading(double pressure, double temp) {
    }

    /** A place to take the generic type of a {@code List<Reading>} parameter from. */
    @SuppressWarnings("unused")
    private static void readings(List<Reading> readings) {
    }

    /** An invocation as the host makes one: a message (or none) and the outputs it created. */
    record Scope(Message message, FunctionContext context, List<CollectingOutput<?>> outputs) implements BindingScope {
        Scope(Message message) {
            this(message, new Context(), new ArrayList<>());
        }

        @Override
        public void addOutput(CollectingOutput<?> output) {
            outputs.add(output);
        }
    }

    record Context() implements FunctionContext {
        @Override
        public String functionName() {
            return "pump-shutdown";
        }

        @Override
        public String invocationId() {
            return "pump-shutdown#1";
        }

        @Override
        public System.Logger logger() {
            return System.getLogger("test");
        }

        @Override
        public InstantSource clock() {
            return InstantSource.fixed(Instant.EPOCH);
        }

        @Override
        public Settings settings() {
            return JsonSettings.empty("pump-shutdown");
        }
    }

    private final DeviceCommands devices = (deviceId, name, args) ->
            CompletableFuture.failedFuture(new UnsupportedOperationException("not in this test"));
    private final BindingServices services = new BindingServices(new BodyCodec(), devices);

    private final Message reading = Message.builder().jsonBody("{\"pressure\": 87.5, \"temp\": 61}")
            .property("unit", "bar").build();

    /** The one binder of a route method whose one parameter, of Java type {@code type}, is bound as {@code parameter}. */
    private ParameterBinder binder(ParameterDescriptor parameter, Type type) {
        MethodDescriptor method = new MethodDescriptor("onReading", List.of(parameter.requiredType()),
                new TriggerDescriptor.Route("readings"), "void", null, List.of(parameter));
        return ParameterBinders.forMethod("pump-shutdown", method, List.of(type), services)[0];
    }

    @Test
    void forMethod_message_bindsTheTriggeringMessage() {
        assertThat(binder(new ParameterDescriptor.Message(), Message.class).bind(new Scope(reading))).isSameAs(reading);
    }

    @Test
    void forMethod_bodyBytesAndBodyString_bindTheRawBody() {
        Message text = Message.builder().body("87.5 bar").build();

        assertThat((byte[]) binder(new ParameterDescriptor.BodyBytes(), byte[].class).bind(new Scope(text)))
                .isEqualTo("87.5 bar".getBytes());
        assertThat(binder(new ParameterDescriptor.BodyString(), String.class).bind(new Scope(text))).isEqualTo("87.5 bar");
    }

    @Test
    void forMethod_bodyJson_bindsTheBodyAsATree() {
        Object tree = binder(new ParameterDescriptor.BodyJson(), JsonNode.class).bind(new Scope(reading));

        assertThat(((JsonNode) tree).get("pressure").asDouble()).isEqualTo(87.5);
    }

    @Test
    void forMethod_body_bindsTheBodyToTheParametersGenericType() throws Exception {
        Type listOfReadings = getClass().getDeclaredMethod("readings", List.class).getGenericParameterTypes()[0];
        Message many = Message.builder().jsonBody("[{\"pressure\": 1, \"temp\": 2}, {\"pressure\": 3, \"temp\": 4}]").build();

        assertThat(binder(new ParameterDescriptor.Body(Reading.class.getName()), Reading.class).bind(new Scope(reading)))
                .isEqualTo(new Reading(87.5, 61));
        assertThat(binder(new ParameterDescriptor.Body("java.util.List"), listOfReadings).bind(new Scope(many)))
                .isEqualTo(List.of(new Reading(1, 2), new Reading(3, 4)));
    }

    @Test
    void forMethod_body_notJsonForTheType_isABindingException() {
        ParameterBinder binder = binder(new ParameterDescriptor.Body(Reading.class.getName()), Reading.class);

        assertThatThrownBy(() -> binder.bind(new Scope(Message.builder().body("{\"pressure\": ").build())))
                .isInstanceOf(BindingException.class).hasMessageContaining("cannot be read as");
    }

    @Test
    void forMethod_property_bindsTheApplicationPropertyOrNull() {
        ParameterBinder unit = binder(new ParameterDescriptor.Property("unit", false), String.class);

        assertThat(unit.bind(new Scope(reading))).isEqualTo("bar");
        assertThat(unit.bind(new Scope(Message.builder().body("x").build()))).isNull();
    }

    @Test
    void forMethod_optionalProperty_bindsAnOptional() {
        ParameterBinder unit = binder(new ParameterDescriptor.Property("unit", true), Optional.class);

        assertThat(unit.bind(new Scope(reading))).isEqualTo(Optional.of("bar"));
        assertThat(unit.bind(new Scope(Message.builder().body("x").build()))).isEqualTo(Optional.empty());
    }

    @Test
    void forMethod_context_bindsTheInvocationsContext() {
        Scope scope = new Scope(reading);

        assertThat(binder(new ParameterDescriptor.Context(), FunctionContext.class).bind(scope)).isSameAs(scope.context());
    }

    @Test
    void forMethod_output_givesEachInvocationItsOwnOutputAndKeepsIt() {
        ParameterBinder alerts = binder(new ParameterDescriptor.Output("alerts", Reading.class.getName()),
                Output.class);
        Scope first = new Scope(reading);
        Scope second = new Scope(null);

        @SuppressWarnings("unchecked")
        Output<Reading> output = (Output<Reading>) alerts.bind(first);
        output.send(new Reading(99, 70));
        alerts.bind(second);

        assertThat(first.outputs()).singleElement().isSameAs(output);
        assertThat(second.outputs()).singleElement().isNotSameAs(output);
        Message sent = first.outputs().getFirst().messages().getFirst();
        assertThat(sent.systemProperty(SystemProperties.OUTPUT_NAME)).isEqualTo("alerts");
        assertThat(sent.systemProperty(SystemProperties.CONNECTION_MODULE_ID)).isEqualTo("pump-shutdown");
    }

    @Test
    void forMethod_deviceCommands_bindsTheHostsDeviceCommands() {
        assertThat(binder(new ParameterDescriptor.DeviceCommands(), DeviceCommands.class).bind(new Scope(null)))
                .isSameAs(devices);
    }

    /** A binding of every kind that needs a message. */
    static Stream<ParameterDescriptor> bindingsThatNeedAMessage() {
        return Stream.of(new ParameterDescriptor.Message(), new ParameterDescriptor.BodyBytes(),
                new ParameterDescriptor.BodyString(), new ParameterDescriptor.BodyJson(),
                new ParameterDescriptor.Body(Reading.class.getName()), new ParameterDescriptor.Property("unit", false),
                new ParameterDescriptor.Property("unit", true), new ParameterDescriptor.PathParam("pumpId"),
                new ParameterDescriptor.HttpRequest());
    }

    @Test
    void bindingsThatNeedAMessage_areEveryKindThatSaysSo() {
        assertThat(bindingsThatNeedAMessage().map(ParameterDescriptor::kind).distinct())
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(ParameterDescriptor.Kind.values())
                        .filter(ParameterDescriptor.Kind::needsMessage).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bindingsThatNeedAMessage")
    void bind_timerInvocationAskingForAMessage_isAClearBindingException(ParameterDescriptor parameter) {
        MethodDescriptor tick = new MethodDescriptor("tick", List.of("io.edgefn.api.FunctionContext",
                parameter.requiredType()), TriggerDescriptor.Timer.ofFixedRate("PT1S", 1000), "void", null,
                List.of(new ParameterDescriptor.Context(), parameter));
        ParameterBinder binder = ParameterBinders.forMethod("pump-shutdown", tick,
                List.of(FunctionContext.class, Reading.class), services)[1];

        assertThatThrownBy(() -> binder.bind(new Scope(null)))
                .isInstanceOf(BindingException.class)
                .hasMessage("parameter 1 of pump-shutdown.tick binds " + parameter.binding()
                        + ", which needs a message, but this invocation has none (a timer tick)");
    }

    @Test
    void forMethod_fewerTypesThanParameters_isRefused() {
        MethodDescriptor method = new MethodDescriptor("onReading", List.of("[B"), new TriggerDescriptor.Route("in"),
                "void", null, List.of(new ParameterDescriptor.BodyBytes()));

        assertThatThrownBy(() -> ParameterBinders.forMethod("pump-shutdown", method, List.of(), services))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("method pump-shutdown.onReading has 1 parameters in the index but 0 in its class");
    }

    /** A place to take the generic type of a {@code State<Reading>} parameter from. */
    @SuppressWarnings("unused")
    private static void state(io.edgefn.api.State<Reading> readings) {
    }

    /** A context with these settings and twin, as the host's invocation has. */
    private static FunctionContext context(Settings settings, io.edgefn.api.Twin twin) {
        return new FunctionContext() {
            public String functionName() { return "pump-shutdown"; }
            public String invocationId() { return "1"; }
            public System.Logger logger() { return System.getLogger("test"); }
            public InstantSource clock() { return InstantSource.fixed(Instant.EPOCH); }
            public Settings settings() { return settings; }
            public io.edgefn.api.Twin twin() { return twin; }
        };
    }

    @Test
    void forMethod_settings_bindsTheInvocationsSettings() {
        Settings settings = JsonSettings.empty("pump-shutdown");
        assertThat(binder(new ParameterDescriptor.Settings(), Settings.class)
                .bind(new Scope(reading, context(settings, null), new ArrayList<>()))).isSameAs(settings);
    }

    @Test
    void forMethod_reportedProperties_patchesTheTwin_andAContextWithoutATwinSaysSo() {
        java.util.Map<String, Object> reported = new java.util.HashMap<>();
        io.edgefn.api.Twin twin = new io.edgefn.api.Twin() {
            public java.util.Map<String, Object> desired() { return java.util.Map.of(); }
            public long desiredVersion() { return 0; }
            public java.util.Map<String, Object> reported() { return java.util.Map.copyOf(reported); }
            public void patchReported(java.util.Map<String, ?> patch) { reported.putAll(patch); }
        };
        FunctionContext withTwin = context(JsonSettings.empty("pump-shutdown"), twin);
        ParameterBinder binder = binder(new ParameterDescriptor.ReportedProperties(), io.edgefn.api.ReportedProperties.class);

        io.edgefn.api.ReportedProperties bound = (io.edgefn.api.ReportedProperties) binder.bind(
                new Scope(reading, withTwin, new ArrayList<>()));
        bound.patch(java.util.Map.of("state", "running"));
        assertThat(bound.reported()).isEqualTo(java.util.Map.of("state", "running"));
        assertThatThrownBy(() -> binder.bind(new Scope(reading))).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("has no twin");
    }

    @Test
    void forMethod_state_opensTheStoreOnce_andFailsClearlyWithoutStores() throws Exception {
        Type type = ParameterBindersTest.class.getDeclaredMethod("state", io.edgefn.api.State.class).getGenericParameterTypes()[0];
        ParameterDescriptor.State descriptor = new ParameterDescriptor.State("readings", Reading.class.getName());
        MethodDescriptor method = new MethodDescriptor("tick", List.of(descriptor.requiredType()),
                TriggerDescriptor.Timer.ofFixedRate("PT1S", 1000), "void", null, List.of(descriptor));

        assertThatThrownBy(() -> ParameterBinders.forMethod("pump-shutdown", method, List.of(type), services))
                .isInstanceOf(BindingException.class)
                .hasMessage("parameter 0 of pump-shutdown.tick binds state store 'readings', but this function was given no state stores");

        try (io.edgefn.bindings.state.StateStores stores = io.edgefn.bindings.state.StateStores.inMemory("pump-shutdown",
                new BodyCodec().mapper(), io.edgefn.bindings.state.StateLimits.DEFAULTS)) {
            ParameterBinder binder = ParameterBinders.forMethod("pump-shutdown", method, List.of(type),
                    new BindingServices(new BodyCodec(), devices).withStates(stores))[0];
            @SuppressWarnings("unchecked")
            io.edgefn.api.State<Reading> state = (io.edgefn.api.State<Reading>) binder.bind(new Scope(null));
            state.put("pump-01", new Reading(87.5, 61));
            assertThat(binder.bind(new Scope(null))).isSameAs(state);
            assertThat(state.get("pump-01")).contains(new Reading(87.5, 61));
        }
    }
}
