package io.edgefn.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JavaScript functions in the index: {@code "runtime": "js"} with a {@code source}, and what they may not hold. */
class JsIndexTest {

    /** The JavaScript example of docs/function-index.md, with a timer handler added. */
    static final String JS_EXAMPLE = """
            {
              "format": 1,
              "functions": [
                {
                  "name": "anomaly-detector",
                  "runtime": "js",
                  "source": "js/anomaly-detector.mjs",
                  "maxConcurrency": 1,
                  "timeoutMillis": 2000,
                  "retries": 2,
                  "inputs": ["aggregates"],
                  "outputs": ["alerts", "anomalies"],
                  "usesDeviceCommands": false,
                  "methods": [
                    {
                      "name": "onAggregate",
                      "parameterTypes": [],
                      "trigger": {"kind": "route", "input": "aggregates"},
                      "returnType": "any",
                      "returnOutput": "anomalies",
                      "parameters": []
                    },
                    {
                      "name": "tick",
                      "parameterTypes": [],
                      "trigger": {"kind": "timer", "fixedRate": "PT5S", "fixedRateMillis": 5000},
                      "returnType": "any",
                      "returnOutput": null,
                      "parameters": []
                    }
                  ]
                }
              ]
            }
            """;

    private static FunctionIndex parse(String json) {
        return FunctionIndex.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "functions.json");
    }

    @Test
    void parse_jsExample_readsRuntimeAndSourceAndRoundTrips() {
        FunctionIndex index = parse(JS_EXAMPLE);
        FunctionDescriptor f = index.function("anomaly-detector");
        assertThat(f.isJs()).isTrue();
        assertThat(f.runtime()).isEqualTo("js");
        assertThat(f.source()).isEqualTo("js/anomaly-detector.mjs");
        assertThat(f.className()).isNull();
        // Outputs are the declared ones: "alerts" is sent through ctx.output, not a return value.
        assertThat(f.outputs()).containsExactly("alerts", "anomalies");
        assertThat(parse(index.toJson())).isEqualTo(index);
        assertThat(index.toJson()).contains("\"runtime\" : \"js\"").doesNotContain("className");
    }

    @Test
    void toJson_javaFunction_hasNoRuntimeKey() {
        FunctionDescriptor java = new FunctionDescriptor("f", "com.example.F", 1, 1000, 0, List.of(), List.of(), false,
                List.of(new MethodDescriptor("m", List.of(), TriggerDescriptor.Timer.ofFixedRate("PT1S", 1000), "void",
                        null, List.of())));
        assertThat(java.runtime()).isEqualTo("java");
        assertThat(new FunctionIndex(1, List.of(java)).toJson()).doesNotContain("runtime").doesNotContain("source");
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
            "\"runtime\": \"js\"|\"runtime\": \"python\"|runtime 'python' is not one of 'java', 'js'",
            "\"source\": \"js/anomaly-detector.mjs\"|\"source\": \"../evil.mjs\"|source '../evil.mjs' must be a relative path in the jar",
            "\"source\": \"js/anomaly-detector.mjs\"|\"source\": \"js/a.mjs\", \"className\": \"x.Y\"|unexpected key 'className': a js function has no class",
            "\"kind\": \"timer\", \"fixedRate\": \"PT5S\", \"fixedRateMillis\": 5000|\"kind\": \"directMethod\", \"method\": \"stop\"|a js function's handlers are triggered by routes and timers, not by trigger kind 'directMethod'",
            "\"outputs\": [\"alerts\", \"anomalies\"]|\"outputs\": [\"alerts\"]|including its handlers' return outputs [anomalies]",
            "\"parameterTypes\": []|\"parameterTypes\": [\"x.Y\"]|there are 0 parameters but 1 parameterTypes",
    })
    void parse_badJsEntry_isRefusedWithItsProblem(String from, String to, String message) {
        String json = JS_EXAMPLE.replace(from, to);
        assertThat(json).isNotEqualTo(JS_EXAMPLE);
        IndexException e = catchThrowableOfType(IndexException.class, () -> parse(json));
        assertThat(e).as(json).isNotNull();
        assertThat(e.getMessage()).contains(message);
    }

    @Test
    void parse_javaFunctionWithASource_isRefused() {
        String json = FunctionIndexTest.index("[]", "[]", """
                {"name": "m", "parameterTypes": [], "trigger": {"kind": "timer", "fixedRate": "PT1S", "fixedRateMillis": 1000},
                 "returnType": "void", "returnOutput": null, "parameters": []}""")
                .replace("\"className\": \"com.example.F\",", "\"className\": \"com.example.F\", \"source\": \"js/f.mjs\",");
        IndexException e = catchThrowableOfType(IndexException.class, () -> parse(json));
        assertThat(e.getMessage()).contains("unexpected key 'source': only a js function has a 'source'");
    }
}
