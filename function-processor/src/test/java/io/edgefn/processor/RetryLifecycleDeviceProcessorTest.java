package io.edgefn.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.index.FunctionIndex;
import io.edgefn.testing.InMemoryCompiler;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code @Retry}, {@code @OnStart}/{@code @OnStop} and {@code @DeviceEventTrigger} at compile
 * time: what they write into the index, and each misuse as one error on the marked line (the
 * annotation element's line for {@code @Retry}).
 */
class RetryLifecycleDeviceProcessorTest {

    private static final InMemoryCompiler JAVAC = InMemoryCompiler.withClassPathProcessors();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARK = "/*!*/";

    @TempDir
    Path out;

    @Test
    void process_retryHooksAndDeviceEvent_writeTheirIndexEntries() throws Exception {
        String source = Sources.function("""
                    @RouteTrigger(input = "in")
                    @Retry(maxAttempts = 4, delay = "PT0.5S", backoff = 3, maxDelay = "PT10S")
                    public void onIn(Message m) { }
                    @DeviceEventTrigger(device = "pump-01")
                    @WarmUp(body = "{}", properties = "frameType=event")
                    public void onPump(String body) { }
                    @OnStart
                    public void open(FunctionContext context) { }
                    @OnStop
                    public void close() { }""");

        InMemoryCompiler.Result result = JAVAC.compile(Map.of("p.F", source)).writeTo(out);

        assertThat(result.messages()).isEmpty();
        JsonNode f = JSON.readTree(result.text(FunctionIndex.RESOURCE).orElseThrow()).get("functions").get(0);
        assertThat(f.get("inputs").toString()).isEqualTo("[\"in\"]");
        JsonNode methods = f.get("methods");
        assertThat(methods.get(0).get("retry")).isEqualTo(JSON.readTree(
                "{\"maxAttempts\":4,\"delay\":\"PT0.5S\",\"backoff\":3.0,\"maxDelay\":\"PT10S\"}"));
        assertThat(methods.get(1).get("trigger")).isEqualTo(JSON.readTree("{\"kind\":\"deviceEvent\",\"device\":\"pump-01\"}"));
        assertThat(methods.get(1).has("retry")).isFalse();
        assertThat(methods.get(2).get("trigger")).isEqualTo(JSON.readTree("{\"kind\":\"lifecycle\",\"phase\":\"start\"}"));
        assertThat(methods.get(2).get("parameters").get(0).get("binding").asText()).isEqualTo("context");
        assertThat(methods.get(3).get("trigger")).isEqualTo(JSON.readTree("{\"kind\":\"lifecycle\",\"phase\":\"stop\"}"));
        // What the processor writes, the host's reader takes.
        assertThat(FunctionIndex.parse(new java.io.ByteArrayInputStream(result.text(FunctionIndex.RESOURCE).orElseThrow().getBytes(java.nio.charset.StandardCharsets.UTF_8)), "test").functions()
                .getFirst().methods().getFirst().retry().maxAttempts()).isEqualTo(4);
    }

    static Stream<Arguments> misuses() {
        return Stream.of(
                bad("warm-up without trigger", "has @WarmUp but no trigger", """
                            @WarmUp(body = "{}")
                            public void onIn(Message m) { } /*!*/"""),
                bad("warm-up on a timer", "its trigger @TimerTrigger carries no message to bind", """
                            @TimerTrigger(fixedRate = "PT1S")
                            @WarmUp(body = "{}")
                            public void tick() { } /*!*/"""),
                bad("warm-up property without =", "has the property \"frameType\": each property is name=value", """
                            @RouteTrigger(input = "in")
                            @WarmUp(body = "{}", properties = "frameType")
                            public void onIn(Message m) { } /*!*/"""),
                bad("warm-up body not closed", "has a body that opens with { but does not close with }", """
                            @RouteTrigger(input = "in")
                            @WarmUp(body = "{\\"deviceId\\": \\"x\\"")
                            public void onIn(Message m) { } /*!*/"""),
                bad("retry maxAttempts 0", "has maxAttempts 0: it must be at least 1", """
                            @RouteTrigger(input = "in")
                            @Retry(
                                maxAttempts = 0, /*!*/
                                delay = "PT1S")
                            public void onIn(Message m) { }"""),
                bad("retry bad delay", "has delay \"soon\": it must be an ISO-8601 duration", """
                            @RouteTrigger(input = "in")
                            @Retry(maxAttempts = 2,
                                delay = "soon") /*!*/
                            public void onIn(Message m) { }"""),
                bad("retry bad maxDelay", "has maxDelay \"PT-1S\"", """
                            @RouteTrigger(input = "in")
                            @Retry(maxAttempts = 2,
                                maxDelay = "PT-1S") /*!*/
                            public void onIn(Message m) { }"""),
                bad("retry backoff below 1", "has backoff 0.5: it must be a finite multiplier of at least 1", """
                            @RouteTrigger(input = "in")
                            @Retry(maxAttempts = 2,
                                backoff = 0.5) /*!*/
                            public void onIn(Message m) { }"""),
                bad("retry delay over maxDelay", "has delay PT5S longer than maxDelay PT1S", """
                            @RouteTrigger(input = "in")
                            @Retry(maxAttempts = 2, delay = "PT5S",
                                maxDelay = "PT1S") /*!*/
                            public void onIn(Message m) { }"""),
                bad("retry on a direct method", "a direct method is answered, never retried", """
                            @DirectMethodTrigger("stop")
                            @Retry(maxAttempts = 3) /*!*/
                            public String stop(String payload) { return "ok"; }"""),
                bad("retry on a lifecycle hook", "a lifecycle hook is never retried", """
                            @RouteTrigger(input = "in")
                            public void onIn(Message m) { }
                            @OnStart
                            @Retry(maxAttempts = 3) /*!*/
                            public void open() { }"""),
                bad("retry without trigger", "has @Retry but no trigger", """
                            @RouteTrigger(input = "in")
                            public void onIn(Message m) { }
                            @Retry(maxAttempts = 3) /*!*/
                            public void helper() { }"""),
                bad("two start hooks", "@OnStart of function \"f\" is already taken by method open", """
                            @OnStart
                            public void open() { }
                            @OnStart
                            public void again() { } /*!*/"""),
                bad("two stop hooks", "@OnStop of function \"f\" is already taken by method close", """
                            @OnStop
                            public void close() { }
                            @OnStop
                            public void again() { } /*!*/"""),
                bad("hook with a trigger", "method both has two triggers, @RouteTrigger and @OnStart", """
                            @RouteTrigger(input = "in")
                            @OnStart
                            public void both(Message m) { } /*!*/"""),
                bad("hook not public", "@OnStart method open must be public", """
                            @OnStart
                            void open() { } /*!*/"""),
                bad("hook static", "@OnStop method close must not be static", """
                            @OnStop
                            public static void close() { } /*!*/"""),
                bad("hook takes a message", "a lifecycle hook has no message and sends nothing", """
                            @OnStart
                            public void open(
                                Message m) { } /*!*/"""),
                bad("hook sends", "but a lifecycle hook sends nothing", """
                            @OnStop
                            @SendTo("out")
                            public String close() { return "bye"; } /*!*/"""),
                bad("device id invalid", "listens to invalid device id \"pump 01\"", """
                            @DeviceEventTrigger(device = "pump 01")
                            public void onPump(Message m) { } /*!*/"""),
                bad("device twice", "device \"pump-01\" of function \"f\" is already taken by method a", """
                            @DeviceEventTrigger(device = "pump-01")
                            public void a(Message m) { }
                            @DeviceEventTrigger(device = "pump-01")
                            public void b(Message m) { } /*!*/"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misuses")
    void process_misuse_failsWithOneErrorOnTheMarkedLine(String body, String message) {
        String source = Sources.function(body);

        InMemoryCompiler.Result result = JAVAC.compile(Map.of("p.F", source.replace(MARK, ""))).writeTo(out);

        assertThat(result.success()).isFalse();
        assertThat(result.errors()).as("errors").singleElement().satisfies(error -> {
            assertThat(error.kind()).isEqualTo(Diagnostic.Kind.ERROR);
            assertThat(error.text()).contains(message);
            assertThat(error.line()).as("line of: %s", error.text()).isEqualTo(FunctionProcessorTest.lineOf(source, MARK));
        });
        assertThat(result.text(FunctionIndex.RESOURCE)).isEmpty();
    }

    private static Arguments bad(String name, String message, String body) {
        return Arguments.of(Named.of(name, body), message);
    }
}
