package io.edgefn.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.edgefn.index.json.Problem;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FunctionIndexTest {

    /** The example of docs/function-index.md, word for word. */
    static final String PAGE_EXAMPLE = """
            {
              "format": 1,
              "functions": [
                {
                  "name": "pump-shutdown",
                  "className": "com.example.pump.PumpShutdown",
                  "maxConcurrency": 1,
                  "timeoutMillis": 10000,
                  "retries": 2,
                  "inputs": ["anomalies"],
                  "outputs": ["outcomes"],
                  "usesDeviceCommands": true,
                  "methods": [
                    {
                      "name": "onAnomaly",
                      "parameterTypes": ["com.example.pump.Anomaly", "io.edgefn.api.DeviceCommands", "io.edgefn.api.Output"],
                      "trigger": {"kind": "route", "input": "anomalies"},
                      "returnType": "com.example.pump.Outcome",
                      "returnOutput": "outcomes",
                      "parameters": [
                        {"binding": "body", "type": "com.example.pump.Anomaly"},
                        {"binding": "deviceCommands"},
                        {"binding": "output", "output": "alerts", "elementType": "com.example.pump.Alert"}
                      ]
                    }
                  ]
                }
              ]
            }
            """;

    /** An index with one function {@code f} whose one method is {@code method} and has these inputs and outputs. */
    static String index(String inputs, String outputs, String method) {
        return """
                {"format": 1, "functions": [{"name": "f", "className": "com.example.F", "maxConcurrency": 1,
                  "timeoutMillis": 1000, "retries": 0, "inputs": %s, "outputs": %s, "usesDeviceCommands": false,
                  "methods": [%s]}]}""".formatted(inputs, outputs, method);
    }

    static FunctionIndex parse(String json) {
        return FunctionIndex.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "functions.json");
    }

    @Test
    void parse_pageExampleAsWritten_isRefusedBecauseItsOutputsMissAnOutputParameter() {
        // The page's example sends to "alerts" through an Output parameter but lists only "outcomes";
        // the page's own rule (outputs are the union over methods and Output parameters) refuses it.
        IndexException e = catchThrowableOfType(IndexException.class, () -> parse(PAGE_EXAMPLE));

        assertThat(e.problems()).containsExactly(new Problem("functions[0].outputs", 11, 18,
                "'outputs' is [outcomes] but the sorted union of its methods' outputs is [alerts, outcomes]"));
    }

    @Test
    void parse_pageExampleWithItsOutputsCompleted_readsEveryField() {
        FunctionIndex index = parse(PAGE_EXAMPLE.replace("\"outputs\": [\"outcomes\"]", "\"outputs\": [\"alerts\", \"outcomes\"]"));

        assertThat(index.format()).isEqualTo(1);
        FunctionDescriptor f = index.function("pump-shutdown");
        assertThat(f).isEqualTo(new FunctionDescriptor("pump-shutdown", "com.example.pump.PumpShutdown", 1, 10000, 2,
                List.of("anomalies"), List.of("alerts", "outcomes"), true, List.of(new MethodDescriptor("onAnomaly",
                        List.of("com.example.pump.Anomaly", "io.edgefn.api.DeviceCommands", "io.edgefn.api.Output"),
                        new TriggerDescriptor.Route("anomalies"), "com.example.pump.Outcome", "outcomes",
                        List.of(new ParameterDescriptor.Body("com.example.pump.Anomaly"),
                                new ParameterDescriptor.DeviceCommands(),
                                new ParameterDescriptor.Output("alerts", "com.example.pump.Alert"))))));
        assertThat(index.function("nope")).isNull();
    }

    @Test
    void parse_everyBindingAndBothTimerForms_areRead() {
        FunctionIndex index = parse("""
                {"format": 1, "functions": [{"name": "all", "className": "com.example.All", "maxConcurrency": 4,
                  "timeoutMillis": 500, "retries": 1, "inputs": ["in"], "outputs": ["out"], "usesDeviceCommands": false,
                  "methods": [
                   {"name": "m", "parameterTypes": ["io.edgefn.api.Message", "[B", "java.lang.String",
                      "com.fasterxml.jackson.databind.JsonNode", "java.lang.String", "java.util.Optional", "io.edgefn.api.FunctionContext"],
                    "trigger": {"kind": "route", "input": "in"}, "returnType": "void", "returnOutput": null,
                    "parameters": [{"binding": "message"}, {"binding": "bodyBytes"}, {"binding": "bodyString"},
                      {"binding": "bodyJson"}, {"binding": "property", "name": "level", "optional": false},
                      {"binding": "property", "name": "site", "optional": true}, {"binding": "context"}]},
                   {"name": "tick", "parameterTypes": [], "trigger": {"kind": "timer", "fixedRate": "PT0.5S", "fixedRateMillis": 500},
                    "returnType": "java.lang.String", "returnOutput": "out", "parameters": []},
                   {"name": "nightly", "parameterTypes": [], "trigger": {"kind": "timer", "cron": "0 0 3 * * *"},
                    "returnType": "void", "parameters": []}]}]}""");

        List<MethodDescriptor> methods = index.functions().getFirst().methods();
        assertThat(methods.get(0).parameters()).extracting(ParameterDescriptor::binding).containsExactly(
                "message", "bodyBytes", "bodyString", "bodyJson", "property", "property", "context");
        assertThat(methods.get(0).parameters().get(5)).isEqualTo(new ParameterDescriptor.Property("site", true));
        assertThat(methods.get(0).returnOutput()).isNull();
        assertThat(methods.get(1).trigger()).isEqualTo(new TriggerDescriptor.Timer("PT0.5S", 500L, null));
        assertThat(methods.get(2).trigger()).isEqualTo(new TriggerDescriptor.Timer(null, null, "0 0 3 * * *"));
    }

    private static final String ROUTE_METHOD = """
            {"name": "m", "parameterTypes": [%s], "trigger": %s, "returnType": "void", "parameters": [%s]}""";

    static String method(String types, String trigger, String parameters) {
        return ROUTE_METHOD.formatted(types, trigger, parameters);
    }

    static final String IN = "{\"kind\": \"route\", \"input\": \"in\"}";

    /** A bad index, the location of its one problem, and words its message must hold. */
    static Stream<Arguments> badIndexes() {
        return Stream.of(
                Arguments.of("{\"format\": 2, \"functions\": []}", "format",
                        "index format 2 is not supported; this host reads format 1"),
                Arguments.of("{\"functions\": []}", "", "missing required key 'format' at top level"),
                Arguments.of("{\"format\": 1}", "", "missing required key 'functions' at top level"),
                Arguments.of("{\"format\": 1, \"functions\": {}}", "functions", "'functions' must be an array, not an object"),
                Arguments.of("{\"format\": 1, \"functons\": [], \"functions\": []}", "functons",
                        "unknown key 'functons' at top level; did you mean 'functions'?"),
                Arguments.of("[]", "", "a function index must be an object, not an array"),
                Arguments.of("{\"format\": 1,", "", "malformed JSON: Unexpected end-of-input"),
                Arguments.of(index("[]", "[]", method("", IN, "")), "functions[0].inputs",
                        "'inputs' is [] but the sorted union of its methods' route inputs is [in]"),
                Arguments.of(index("[\"in\"]", "[]", method("", "{\"kind\": \"smtp\"}", "")),
                        "functions[0].methods[0].trigger.kind", "trigger kind 'smtp' is not one of 'route', 'timer'"),
                Arguments.of(index("[]", "[]", method("", "{\"kind\": \"timer\", \"fixedRate\": \"PT1S\", \"fixedRateMillis\": 100}", "")),
                        "functions[0].methods[0].trigger.fixedRateMillis", "fixedRateMillis 100 does not match fixedRate PT1S (1000 ms)"),
                Arguments.of(index("[]", "[]", method("", "{\"kind\": \"timer\", \"fixedRate\": \"1s\", \"fixedRateMillis\": 1000}", "")),
                        "functions[0].methods[0].trigger.fixedRate", "fixedRate '1s' is not an ISO-8601 duration"),
                Arguments.of(index("[]", "[]", method("", "{\"kind\": \"timer\", \"cron\": \"0 */5 * * *\"}", "")),
                        "functions[0].methods[0].trigger.cron", "must have six fields"),
                Arguments.of(index("[]", "[]", method("", "{\"kind\": \"timer\"}", "")),
                        "functions[0].methods[0].trigger", "a timer trigger must have exactly one of 'fixedRate' and 'cron'"),
                Arguments.of(index("[\"in\"]", "[]", method("\"java.lang.String\"", IN, "{\"binding\": \"bodyText\"}")),
                        "functions[0].methods[0].parameters[0].binding", "binding 'bodyText' is not one of body, bodyBytes"),
                Arguments.of(index("[\"in\"]", "[]", method("\"java.lang.String\"", IN, "{\"binding\": \"bodyBytes\"}")),
                        "functions[0].methods[0].parameters[0]",
                        "binding 'bodyBytes' needs a parameter of type [B, but its type is java.lang.String"),
                Arguments.of(index("[\"in\"]", "[]", method("\"java.lang.String\"", IN, "")),
                        "functions[0].methods[0].parameters", "there are 0 parameters but 1 parameterTypes"),
                Arguments.of(index("[]", "[]", method("\"io.edgefn.api.Message\"", "{\"kind\": \"timer\", \"cron\": \"* * * * * *\"}",
                        "{\"binding\": \"message\"}")), "functions[0].methods[0].parameters[0].binding",
                        "binding 'message' needs a message, but a timer-triggered method has none"),
                Arguments.of(index("[\"in\"]", "[]", method("\"java.lang.String\"", IN, "{\"binding\": \"property\", \"optional\": false}")),
                        "functions[0].methods[0].parameters[0]", "missing required key 'name' in functions[0].methods[0].parameters[0]"),
                Arguments.of(index("[\"in\"]", "[]", method("", "{\"kind\": \"route\", \"input\": \"a b\"}", "")),
                        "functions[0].methods[0].trigger.input", "route input 'a b' must be a name of letters, digits, '-' and '_'"),
                Arguments.of(index("[\"in\"]", "[]", method("", IN, "")).replace("\"retries\": 0", "\"retries\": -1"),
                        "functions[0].retries", "'retries' is -1; it must be 0 or more"),
                Arguments.of(index("[\"in\"]", "[]", method("", IN, "")).replace("\"name\": \"f\"", "\"name\": \"9f\""),
                        "functions[0].name", "function name '9f' must be letters, digits"),
                Arguments.of(index("[\"in\"]", "[]", method("", IN, "")).replace("\"usesDeviceCommands\": false,", ""),
                        "functions[0]", "missing required key 'usesDeviceCommands' in functions[0]"),
                Arguments.of(index("[\"in\"]", "[]", "").replace("\"methods\": []", "\"methods\": []"),
                        "functions[0].methods", "'methods' must be a non-empty array of methods, not an empty one"),
                Arguments.of(index("[\"in\"]", "[\"out\"]", method("", IN, "").replace("\"returnType\": \"void\"",
                        "\"returnType\": \"void\", \"returnOutput\": \"out\"")), "functions[0].methods[0].returnOutput",
                        "a void method cannot send its return value to output 'out'"),
                Arguments.of(index("[]", "[]", method("", "{\"kind\": \"directMethod\", \"method\": \"a/b\"}", "")),
                        "functions[0].methods[0].trigger.method", "direct method name 'a/b' must be 1 to 128 letters"),
                Arguments.of(index("[]", "[]", method("", "{\"kind\": \"directMethod\"}", "")),
                        "functions[0].methods[0].trigger", "missing required key 'method'"),
                Arguments.of(index("[]", "[\"out\"]", method("", "{\"kind\": \"directMethod\", \"method\": \"stop\"}", "")
                        .replace("\"returnType\": \"void\"", "\"returnType\": \"java.lang.String\", \"returnOutput\": \"out\"")),
                        "functions[0].methods[0].returnOutput", "a direct method's return value is its answer"),
                Arguments.of(index("[]", "[]", method("", "{\"kind\": \"directMethod\", \"method\": \"stop\"}", "") + ", "
                        + method("", "{\"kind\": \"directMethod\", \"method\": \"stop\"}", "")),
                        "functions[0].methods[1].trigger", "direct method 'stop' triggers two methods of the function"),
                Arguments.of(index("[\"in\"]", "[]", method("\"io.edgefn.api.State\"", IN,
                        "{\"binding\": \"state\", \"store\": \"../x\", \"elementType\": \"p.B\"}")),
                        "functions[0].methods[0].parameters[0].store", "store '../x' must be 1 to 64 letters, digits"),
                Arguments.of(index("[\"in\"]", "[]", method("\"io.edgefn.api.State\"", IN,
                        "{\"binding\": \"state\", \"store\": \"b\"}")),
                        "functions[0].methods[0].parameters[0]", "missing required key 'elementType'"),
                Arguments.of(index("[\"in\"]", "[]", method("\"java.lang.String\"", IN, "{\"binding\": \"settings\"}")),
                        "functions[0].methods[0].parameters[0]",
                        "binding 'settings' needs a parameter of type io.edgefn.api.Settings, but its type is java.lang.String"),
                Arguments.of(index("[]", "[]", method("", "{\"kind\": \"desiredProperties\"}", "") + ", "
                        + method("", "{\"kind\": \"desiredProperties\"}", "")),
                        "functions[0].methods[1].trigger", "desired properties triggers two methods of the function"),
                Arguments.of("{\"format\": 1, \"functions\": [" + index("[\"in\"]", "[]", method("", IN, ""))
                        .replaceAll("^\\{\"format\": 1, \"functions\": \\[|]}$", "") + ", "
                        + index("[\"in\"]", "[]", method("", IN, "")).replaceAll("^\\{\"format\": 1, \"functions\": \\[|]}$", "")
                        + "]}", "functions[1].name", "function name 'f' is used twice"));
    }

    @ParameterizedTest(name = "[{index}] {2}")
    @MethodSource("badIndexes")
    void parse_badIndex_namesTheProblemAndWhereItIs(String json, String location, String message) {
        IndexException e = catchThrowableOfType(IndexException.class, () -> parse(json));

        assertThat(e).as("refused: %s", json).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(location);
            assertThat(p.message()).contains(message);
            assertThat(p.line()).isPositive();
        });
        assertThat(e).hasMessageStartingWith("function index functions.json is invalid (1 problem):");
    }
}
