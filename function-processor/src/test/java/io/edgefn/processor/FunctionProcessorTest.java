package io.edgefn.processor;

import io.edgefn.index.FunctionIndex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.testing.InMemoryCompiler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionProcessorTest {

    private static final InMemoryCompiler JAVAC = InMemoryCompiler.withClassPathProcessors();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    @Test
    void process_goodPackage_compilesCleanAndWritesTheIndex() throws Exception {
        InMemoryCompiler.Result result = JAVAC.compile(Map.of(
                "com.example.pump.PumpShutdown", Sources.PUMP_SHUTDOWN,
                "com.example.other.Counter", Sources.COUNTER)).writeTo(out);

        assertThat(result.messages()).isEmpty();
        assertThat(result.success()).isTrue();
        JsonNode index = JSON.readTree(result.text(FunctionIndex.RESOURCE).orElseThrow());
        assertThat(index).isEqualTo(JSON.readTree(Sources.EXPECTED_INDEX));
    }

    @Test
    void process_goodPackage_writesKeysInTheDocumentedOrder() throws Exception {
        InMemoryCompiler.Result result = JAVAC.compile(Map.of(
                "com.example.pump.PumpShutdown", Sources.PUMP_SHUTDOWN)).writeTo(out);

        JsonNode index = JSON.readTree(result.text(FunctionIndex.RESOURCE).orElseThrow());
        assertThat(fieldNames(index)).containsExactly("format", "functions");
        JsonNode function = index.get("functions").get(0);
        assertThat(fieldNames(function)).containsExactly("name", "className", "maxConcurrency", "timeoutMillis",
                "retries", "inputs", "outputs", "usesDeviceCommands", "methods");
        assertThat(fieldNames(function.get("methods").get(0))).containsExactly("name", "parameterTypes", "trigger",
                "returnType", "returnOutput", "parameters");
    }

    @Test
    void process_goodPackage_micronautGeneratesTheBeanDefinition() {
        InMemoryCompiler.Result result = JAVAC.compile(Map.of(
                "com.example.pump.PumpShutdown", Sources.PUMP_SHUTDOWN)).writeTo(out);

        assertThat(result.success()).isTrue();
        assertThat(out.resolve("com/example/pump/$PumpShutdown$Definition.class")).exists();
        assertThat(out.resolve("META-INF/micronaut/io.micronaut.inject.BeanDefinitionReference")).isDirectory();
    }

    @Test
    void process_functionWithoutTriggers_warnsOnTheClassAndStillIndexesIt() throws Exception {
        String source = Sources.function("    public void idle() { }");

        InMemoryCompiler.Result result = JAVAC.compile(Map.of("p.F", source)).writeTo(out);

        assertThat(result.success()).isTrue();
        assertThat(result.warnings()).singleElement().satisfies(w -> {
            assertThat(w.text()).isEqualTo("@EdgeFunction class p.F has no trigger method (@RouteTrigger, @TimerTrigger,"
                    + " @DirectMethodTrigger, @DesiredPropertiesTrigger, @HttpTrigger), so nothing ever calls it");
            assertThat(w.line()).isEqualTo(lineOf(source, "public class F"));
        });
        assertThat(JSON.readTree(result.text(FunctionIndex.RESOURCE).orElseThrow()).at("/functions/0/methods")).isEmpty();
    }

    @Test
    void process_discardedReturnValue_warnsOnTheMethod() {
        String source = Sources.function("""
                    @RouteTrigger(input = "in")
                    public String onIn(String text) {
                        return text;
                    }""");

        InMemoryCompiler.Result result = JAVAC.compile(Map.of("p.F", source)).writeTo(out);

        assertThat(result.success()).isTrue();
        assertThat(result.warnings()).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo(Diagnostic.Kind.WARNING);
            assertThat(w.text()).contains("return value of trigger method onIn is discarded");
            assertThat(w.line()).isEqualTo(lineOf(source, "public String onIn"));
        });
    }

    @Test
    void process_sendToWithoutTrigger_warnsThatTheHostNeverCallsIt() {
        String source = Sources.function("""
                    @RouteTrigger(input = "in")
                    public void onIn(Message m) { }

                    @SendTo("out")
                    public String orphan() {
                        return "";
                    }""");

        InMemoryCompiler.Result result = JAVAC.compile(Map.of("p.F", source)).writeTo(out);

        assertThat(result.success()).isTrue();
        assertThat(result.warnings()).singleElement().satisfies(w -> {
            assertThat(w.text()).contains("method orphan has @SendTo, @Property, @PathParam or @StateStore but no trigger");
            assertThat(w.line()).isEqualTo(lineOf(source, "public String orphan"));
        });
    }

    @Test
    void process_arraysNestedTypesAndPrimitives_useRunTimeClassNames() throws Exception {
        String source = Sources.function("""
                    public static class Inner {
                        public static class Deeper { }
                    }

                    @RouteTrigger(input = "grid")
                    @SendTo("sums")
                    public long[] onGrid(String[][] grid, @SendTo("cells") Output<Inner.Deeper[]> cells) {
                        return new long[0];
                    }

                    @RouteTrigger(input = "count")
                    @SendTo("doubled")
                    public <T extends Number> T onCount(Integer count) {
                        return null;
                    }""");

        InMemoryCompiler.Result result = JAVAC.compile(Map.of("p.F", source)).writeTo(out);

        assertThat(result.messages()).isEmpty();
        JsonNode methods = JSON.readTree(result.text(FunctionIndex.RESOURCE).orElseThrow()).at("/functions/0/methods");
        assertThat(methods.at("/0/parameterTypes")).isEqualTo(JSON.readTree(
                "[\"[[Ljava.lang.String;\", \"io.edgefn.api.Output\"]"));
        assertThat(methods.at("/0/returnType").asText()).isEqualTo("[J");
        assertThat(methods.at("/0/parameters/0/type").asText()).isEqualTo("[[Ljava.lang.String;");
        assertThat(methods.at("/0/parameters/1/elementType").asText()).isEqualTo("[Lp.F$Inner$Deeper;");
        // A primitive body is refused (FunctionProcessorErrorsTest, "primitive body"); its box binds.
        assertThat(methods.at("/1/parameterTypes/0").asText()).isEqualTo("java.lang.Integer");
        assertThat(methods.at("/1/parameters/0")).isEqualTo(JSON.readTree(
                "{\"binding\": \"body\", \"type\": \"java.lang.Integer\"}"));
        assertThat(methods.at("/1/returnType").asText()).isEqualTo("java.lang.Number");
    }

    @Test
    void process_directMethodsAndDesiredTrigger_compileCleanAndAreIndexed() throws Exception {
        String source = Sources.function("""
                    public record Stop(String reason) { }

                    @DirectMethodTrigger("stop")
                    public MethodResult stop(Stop request, DeviceCommands devices, @SendTo("events") Output<String> events) {
                        return MethodResult.ok(request.reason());
                    }

                    @DirectMethodTrigger("status.get")
                    public String status(FunctionContext context) {
                        return "ok";
                    }

                    @DesiredPropertiesTrigger
                    public void onDesired(JsonNode patch, @Property("edgefn-desired-version") String version) { }""");

        InMemoryCompiler.Result result = JAVAC.compile(Map.of("p.F", source)).writeTo(out);

        assertThat(result.messages()).as("a direct method's return value is its answer: no discarded-value warning").isEmpty();
        JsonNode function = JSON.readTree(result.text(FunctionIndex.RESOURCE).orElseThrow()).at("/functions/0");
        assertThat(function.at("/inputs")).isEmpty();
        assertThat(function.at("/outputs").toString()).isEqualTo("[\"events\"]");
        assertThat(function.at("/usesDeviceCommands").asBoolean()).isTrue();
        JsonNode methods = function.at("/methods");
        List<String> triggers = new ArrayList<>();
        methods.forEach(m -> triggers.add(m.get("name").asText() + " " + m.get("trigger")));
        assertThat(triggers).containsExactlyInAnyOrder(
                "stop {\"kind\":\"directMethod\",\"method\":\"stop\"}",
                "status {\"kind\":\"directMethod\",\"method\":\"status.get\"}",
                "onDesired {\"kind\":\"desiredProperties\"}");
        methods.forEach(m -> assertThat(m.get("returnOutput").isNull()).isTrue());
        FunctionIndex.parse(Files.newInputStream(out.resolve(FunctionIndex.RESOURCE)), "written index"); // reads back
    }

    @Test
    void process_stateReportedAndSettings_compileCleanAndAreIndexed() throws Exception {
        String source = Sources.function("""
                    public record Baseline(double mean) { }

                    @RouteTrigger(input = "in")
                    public void onIn(JsonNode body, @StateStore("baselines") State<Baseline> baselines,
                                     ReportedProperties reported, Settings settings) { }

                    @TimerTrigger(fixedRate = "PT1S")
                    public void tick(@StateStore("baselines") State<Baseline> baselines, Settings settings,
                                     ReportedProperties reported) { }

                    @DesiredPropertiesTrigger
                    public void onDesired(JsonNode patch, Settings settings) { }""");

        InMemoryCompiler.Result result = JAVAC.compile(Map.of("p.F", source)).writeTo(out);

        assertThat(result.messages()).isEmpty();
        JsonNode methods = JSON.readTree(result.text(FunctionIndex.RESOURCE).orElseThrow()).at("/functions/0/methods");
        JsonNode onIn = methods.get(0).get("name").asText().equals("onIn") ? methods.get(0) : methods.get(1);
        assertThat(onIn.at("/parameterTypes").toString()).isEqualTo("[\"com.fasterxml.jackson.databind.JsonNode\","
                + "\"io.edgefn.api.State\",\"io.edgefn.api.ReportedProperties\",\"io.edgefn.api.Settings\"]");
        assertThat(onIn.at("/parameters/1")).isEqualTo(JSON.readTree(
                "{\"binding\": \"state\", \"store\": \"baselines\", \"elementType\": \"p.F$Baseline\"}"));
        assertThat(onIn.at("/parameters/2")).isEqualTo(JSON.readTree("{\"binding\": \"reportedProperties\"}"));
        assertThat(onIn.at("/parameters/3")).isEqualTo(JSON.readTree("{\"binding\": \"settings\"}"));
        FunctionIndex.parse(Files.newInputStream(out.resolve(FunctionIndex.RESOURCE)), "written index"); // reads back
    }

    @Test
    void process_noFunctions_writesNoIndex() throws Exception {
        InMemoryCompiler.Result result = JAVAC.compile(Map.of("p.Plain", "package p; public class Plain { }")).writeTo(out);

        assertThat(result.success()).isTrue();
        assertThat(result.text(FunctionIndex.RESOURCE)).isEmpty();
        assertThat(Files.exists(out.resolve("p/Plain.class"))).isTrue();
    }

    static int lineOf(String source, String fragment) {
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(fragment)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line contains " + fragment);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
