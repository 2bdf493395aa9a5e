package io.edgefn.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexRoundTripTest {

    /** One parameter of every binding kind, each with the parameter type it needs. */
    static final List<ParameterDescriptor> EVERY_BINDING = List.of(
            new ParameterDescriptor.Message(),
            new ParameterDescriptor.BodyBytes(),
            new ParameterDescriptor.BodyString(),
            new ParameterDescriptor.BodyJson(),
            new ParameterDescriptor.Body("com.example.pump.Anomaly"),
            new ParameterDescriptor.Property("level", false),
            new ParameterDescriptor.Property("site", true),
            new ParameterDescriptor.Context(),
            new ParameterDescriptor.Output("alerts", "com.example.pump.Alert"),
            new ParameterDescriptor.DeviceCommands(),
            new ParameterDescriptor.HttpCall("https://vendor.example/api", null, 800, 3, 100, false, null),
            new ParameterDescriptor.State("baselines", "com.example.pump.Baseline"),
            new ParameterDescriptor.ReportedProperties(),
            new ParameterDescriptor.Settings(),
            new ParameterDescriptor.MqttPublisher("plant"));

    /** The bindings only an HTTP-triggered method has. */
    static final List<ParameterDescriptor> HTTP_BINDINGS = List.of(new ParameterDescriptor.PathParam("pumpId"),
            new ParameterDescriptor.HttpRequest());

    static FunctionIndex everything() {
        // A method may bind the body once only in the processor; the index format itself does not say so.
        List<String> types = EVERY_BINDING.stream().map(ParameterDescriptor::requiredType).toList();
        MethodDescriptor onMessage = new MethodDescriptor("onMessage", types, new TriggerDescriptor.Route("in"),
                "com.example.pump.Outcome", "outcomes", EVERY_BINDING);
        MethodDescriptor tick = new MethodDescriptor("tick", List.of("io.edgefn.api.FunctionContext"),
                TriggerDescriptor.Timer.ofFixedRate("PT0.5S", 500), "void", null,
                List.of(new ParameterDescriptor.Context()));
        MethodDescriptor nightly = new MethodDescriptor("nightly", List.of(), TriggerDescriptor.Timer.ofCron("0 0 3 * * *"),
                "java.lang.String", "outcomes", List.of());
        MethodDescriptor stop = new MethodDescriptor("stop", List.of("com.example.pump.StopRequest", "io.edgefn.api.DeviceCommands"),
                new TriggerDescriptor.DirectMethod("stop"), "io.edgefn.api.MethodResult", null,
                List.of(new ParameterDescriptor.Body("com.example.pump.StopRequest"), new ParameterDescriptor.DeviceCommands()));
        MethodDescriptor onDesired = new MethodDescriptor("onDesired", List.of("com.fasterxml.jackson.databind.JsonNode"),
                new TriggerDescriptor.DesiredProperties(), "void", null, List.of(new ParameterDescriptor.BodyJson()));
        MethodDescriptor onPump = new MethodDescriptor("onPump", List.of("java.lang.String"),
                new TriggerDescriptor.DeviceEvent("pump-01"), "void", null, List.of(new ParameterDescriptor.BodyString()),
                new RetryDescriptor(4, "PT0.5S", 1.5, "PT10S"));
        MethodDescriptor open = new MethodDescriptor("open", List.of("io.edgefn.api.FunctionContext"),
                new TriggerDescriptor.Lifecycle(TriggerDescriptor.Lifecycle.Phase.START), "void", null,
                List.of(new ParameterDescriptor.Context()));
        MethodDescriptor close = new MethodDescriptor("close", List.of(),
                new TriggerDescriptor.Lifecycle(TriggerDescriptor.Lifecycle.Phase.STOP), "void", null, List.of());
        MethodDescriptor state = new MethodDescriptor("state", HTTP_BINDINGS.stream().map(ParameterDescriptor::requiredType).toList(),
                new TriggerDescriptor.Http("state/{pumpId}", List.of("GET", "PUT")), "io.edgefn.api.HttpResult", null,
                HTTP_BINDINGS);
        MethodDescriptor onMqtt = new MethodDescriptor("onMqtt", List.of("java.lang.String"),
                new TriggerDescriptor.Mqtt(List.of("plant/+/temperature", "legacy/#"), 0, "plant"), "void", null,
                List.of(new ParameterDescriptor.BodyString()));
        FunctionDescriptor all = new FunctionDescriptor("all", "com.example.All$Nested", 4, 500, 1, List.of("in"),
                List.of("alerts", "outcomes"), true, List.of(onMessage, tick, nightly, stop, onDesired, onPump, open, close, state, onMqtt));
        FunctionDescriptor other = new FunctionDescriptor("another", "com.example.Another", 1, 1000, 0, List.of("raw"),
                List.of(), false, List.of(new MethodDescriptor("onRaw", List.of("[B"), new TriggerDescriptor.Route("raw"),
                        "void", null, List.of(new ParameterDescriptor.BodyBytes()))));
        return new FunctionIndex(FunctionIndex.FORMAT, List.of(all, other));
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static FunctionIndex read(String json) {
        return FunctionIndex.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "functions.json");
    }

    @Test
    void toJson_everyBindingAndTriggerKind_readsBackEqual() {
        FunctionIndex index = everything();

        assertThat(read(index.toJson())).isEqualTo(index);
    }

    @Test
    void everything_coversEveryTriggerKind() {
        // A new trigger kind must be added to everything(), so that the round trip covers it.
        EnumSet<TriggerDescriptor.Kind> covered = EnumSet.noneOf(TriggerDescriptor.Kind.class);
        everything().functions().forEach(f -> f.methods().forEach(m -> covered.add(m.trigger().kind())));

        assertThat(covered).isEqualTo(EnumSet.allOf(TriggerDescriptor.Kind.class));
    }

    @Test
    void toJson_directMethodAndDesiredTriggers_areTheDocumentedLayout() throws Exception {
        JsonNode methods = new ObjectMapper().readTree(everything().toJson()).at("/functions/0/methods");

        assertThat(methods.get(3).get("trigger").toString()).isEqualTo("{\"kind\":\"directMethod\",\"method\":\"stop\"}");
        assertThat(methods.get(4).get("trigger").toString()).isEqualTo("{\"kind\":\"desiredProperties\"}");
    }

    @Test
    void everyBinding_coversEveryKind() {
        // A new binding kind must be added above, so that the round trip covers it.
        EnumSet<ParameterDescriptor.Kind> covered = EnumSet.noneOf(ParameterDescriptor.Kind.class);
        EVERY_BINDING.forEach(p -> covered.add(p.kind()));
        HTTP_BINDINGS.forEach(p -> covered.add(p.kind()));

        assertThat(covered).isEqualTo(EnumSet.allOf(ParameterDescriptor.Kind.class));
    }

    @Test
    void toJson_oneTimerFunction_isTheDocumentedLayout() {
        // The layout the processor has always written: a package rebuilt from the same sources holds the same bytes.
        FunctionIndex index = new FunctionIndex(FunctionIndex.FORMAT, List.of(new FunctionDescriptor("cpu-burner",
                "io.edgefn.examples.load.CpuBurner", 2, 10000, 0, List.of(), List.of(), false,
                List.of(new MethodDescriptor("burn", List.of("io.edgefn.api.FunctionContext"),
                        TriggerDescriptor.Timer.ofFixedRate("PT0.01S", 10), "void", null,
                        List.of(new ParameterDescriptor.Context()))))));

        assertThat(index.toJson()).isEqualTo("""
                {
                  "format" : 1,
                  "functions" : [ {
                    "name" : "cpu-burner",
                    "className" : "io.edgefn.examples.load.CpuBurner",
                    "maxConcurrency" : 2,
                    "timeoutMillis" : 10000,
                    "retries" : 0,
                    "inputs" : [ ],
                    "outputs" : [ ],
                    "usesDeviceCommands" : false,
                    "methods" : [ {
                      "name" : "burn",
                      "parameterTypes" : [ "io.edgefn.api.FunctionContext" ],
                      "trigger" : {
                        "kind" : "timer",
                        "fixedRate" : "PT0.01S",
                        "fixedRateMillis" : 10
                      },
                      "returnType" : "void",
                      "returnOutput" : null,
                      "parameters" : [ {
                        "binding" : "context"
                      } ]
                    } ]
                  } ]
                }
                """);
    }

    @Test
    void toJson_eachBinding_writesBindingThenItsKindsKeys() throws Exception {
        for (ParameterDescriptor p : EVERY_BINDING) {
            MethodDescriptor m = new MethodDescriptor("m", List.of(p.requiredType()), new TriggerDescriptor.Route("in"),
                    "void", null, List.of(p));
            List<String> outputs = p instanceof ParameterDescriptor.Output o ? List.of(o.output()) : List.of();
            String json = new FunctionIndex(FunctionIndex.FORMAT, List.of(new FunctionDescriptor("f", "F", 1, 1, 0,
                    List.of("in"), outputs, false, List.of(m)))).toJson();

            JsonNode parameter = new ObjectMapper().readTree(json).at("/functions/0/methods/0/parameters/0");
            List<String> expected = new ArrayList<>(List.of("binding"));
            expected.addAll(p.kind().keys());
            assertThat(fieldNames(parameter)).as(p.binding()).isEqualTo(expected);
        }
    }
}
