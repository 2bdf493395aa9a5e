package io.edgefn.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.index.FunctionIndex;
import io.edgefn.index.ParameterDescriptor;
import io.edgefn.index.TriggerDescriptor;
import io.edgefn.testing.InMemoryCompiler;
import java.nio.file.Path;
import java.util.List;
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
 * {@code @HttpTrigger}, {@code @PathParam}, {@code HttpRequestData} and {@code @HttpEndpoint
 * HttpCall}: what the processor writes for them, and one bad package per misuse, its error on the
 * line marked {@code /*!*}{@code /}.
 */
class HttpProcessorTest {

    private static final InMemoryCompiler JAVAC = InMemoryCompiler.withClassPathProcessors();
    private static final String MARK = "/*!*/";

    @TempDir
    Path out;

    @Test
    void process_httpTriggerAndCall_writesTheirDescriptors() {
        String source = Sources.function("""
                    public record State(String pumpId, double rpm) { }
                    @HttpTrigger("state/{pumpId}")
                    public State state(@PathParam("pumpId") String pumpId, HttpRequestData request) {
                        return new State(pumpId, 0);
                    }
                    @HttpTrigger(value = "state/{pumpId}", methods = {HttpTrigger.Method.PUT, HttpTrigger.Method.PATCH})
                    public HttpResult set(@PathParam("pumpId") String pumpId, State body,
                            @HttpEndpoint(urlSetting = "vendorUrl", timeoutMillis = 800, maxAttempts = 2) HttpCall vendor) {
                        return HttpResult.noContent();
                    }""");

        InMemoryCompiler.Result result = JAVAC.compile(Map.of("p.F", source)).writeTo(out);

        assertThat(result.errors()).isEmpty();
        FunctionIndex index = FunctionIndex.parse(new java.io.ByteArrayInputStream(result.text(FunctionIndex.RESOURCE)
                .orElseThrow().getBytes(java.nio.charset.StandardCharsets.UTF_8)), "test");
        var methods = index.functions().getFirst().methods();
        assertThat(methods).extracting(m -> m.trigger()).containsExactlyInAnyOrder(
                new TriggerDescriptor.Http("state/{pumpId}", List.of("GET")),
                new TriggerDescriptor.Http("state/{pumpId}", List.of("PUT", "PATCH")));
        assertThat(methods.stream().flatMap(m -> m.parameters().stream())).contains(
                new ParameterDescriptor.PathParam("pumpId"), new ParameterDescriptor.HttpRequest(),
                new ParameterDescriptor.HttpCall(null, "vendorUrl", 800, 2, 100, false, null));
    }

    static Stream<Arguments> misuses() {
        return Stream.of(
                bad("path with a leading slash", "has an invalid @HttpTrigger path: path \"/state\" starts or ends with '/'", """
                            @HttpTrigger("/state")
                            public String state() { return ""; } /*!*/"""),
                bad("path segment that is half a parameter", "segment \"p{id}\" (segment 2), which is neither a literal nor a whole {name}", """
                            @HttpTrigger("state/p{id}")
                            public String state() { return ""; } /*!*/"""),
                bad("empty segment", "has an empty segment (segment 2)", """
                            @HttpTrigger("state//x")
                            public String state() { return ""; } /*!*/"""),
                bad("duplicate parameter names", "names parameter {id} twice", """
                            @HttpTrigger("a/{id}/b/{id}")
                            public String state() { return ""; } /*!*/"""),
                bad("a method twice in the methods", "give one or more, each once", """
                            @HttpTrigger(value = "a", methods = {HttpTrigger.Method.GET, HttpTrigger.Method.GET})
                            public String state() { return ""; } /*!*/"""),
                bad("two methods with the same method and path",
                        "HTTP GET \"state/{b}\" of function \"f\" is already served by method one", """
                            @HttpTrigger("state/{a}")
                            public String one(@PathParam("a") String a) { return a; }
                            @HttpTrigger(value = "state/{b}", methods = {HttpTrigger.Method.POST, HttpTrigger.Method.GET})
                            public String two(@PathParam("b") String b) { return b; } /*!*/"""),
                bad("path parameter not in the path",
                        "binds @PathParam(\"pump\"), but path \"state/{pumpId}\" has only [{pumpId}]", """
                            @HttpTrigger("state/{pumpId}")
                            public String state(
                                @PathParam("pump") String pump) { return pump; } /*!*/"""),
                bad("path parameter on a route method", "binds @PathParam(\"id\"), but onIn has no @HttpTrigger", """
                            @RouteTrigger(input = "in")
                            public void onIn(Message m,
                                @PathParam("id") String id) { } /*!*/"""),
                bad("request data on a direct method", "binds HttpRequestData, but call has no @HttpTrigger", """
                            @DirectMethodTrigger("call")
                            public void call(
                                HttpRequestData request) { } /*!*/"""),
                bad("path parameter not a String", "is an int annotated @PathParam(\"id\"): a path parameter binds only String", """
                            @HttpTrigger("s/{id}")
                            public String state(
                                @PathParam("id") int id) { return ""; } /*!*/"""),
                bad("@SendTo on an HTTP method", "but its return value is the HTTP answer", """
                            @HttpTrigger("s")
                            @SendTo("out")
                            public String state() { return ""; } /*!*/"""),
                bad("HTTP method returning a future", "which is no answer: return the body itself, an HttpResult, or void", """
                            @HttpTrigger("s")
                            public java.util.concurrent.CompletableFuture<String> state() { return null; } /*!*/"""),
                bad("HttpCall without @HttpEndpoint", "is an HttpCall without @HttpEndpoint", """
                            @RouteTrigger(input = "in")
                            public void onIn(Message m,
                                HttpCall vendor) { } /*!*/"""),
                bad("@HttpEndpoint with both url and urlSetting", "give exactly one of url and urlSetting, not both", """
                            @RouteTrigger(input = "in")
                            public void onIn(Message m,
                                @HttpEndpoint(url = "http://x", urlSetting = "u") HttpCall vendor) { } /*!*/"""),
                bad("@HttpEndpoint with a bad url and bad numbers",
                        "url \"ftp://x\" is not an http:// or https:// base URL with a host (and no query or fragment);"
                                + " timeoutMillis is 0; it must be at least 1; maxAttempts is 0", """
                            @RouteTrigger(input = "in")
                            public void onIn(Message m,
                                @HttpEndpoint(url = "ftp://x", timeoutMillis = 0, maxAttempts = 0) HttpCall vendor) { } /*!*/"""),
                bad("@HttpEndpoint on a String", "is a java.lang.String annotated @HttpEndpoint", """
                            @RouteTrigger(input = "in")
                            public void onIn(Message m,
                                @HttpEndpoint(url = "http://x") String vendor) { } /*!*/"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misuses")
    void process_misuse_failsWithOneErrorOnTheOffendingLine(String source, String message) {
        InMemoryCompiler.Result result = JAVAC.compile(Map.of("p.F", source.replace(MARK, ""))).writeTo(out);

        assertThat(result.success()).isFalse();
        assertThat(result.errors()).as("errors").singleElement().satisfies(error -> {
            assertThat(error.kind()).isEqualTo(Diagnostic.Kind.ERROR);
            assertThat(error.text()).contains(message);
            assertThat(error.line()).as("line of: %s", error.text()).isEqualTo(markedLine(source));
        });
        assertThat(result.text(FunctionIndex.RESOURCE)).isEmpty();
    }

    private static Arguments bad(String name, String message, String body) {
        return Arguments.of(Named.of(name, Sources.function(body)), message);
    }

    private static long markedLine(String source) {
        List<String> lines = source.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(MARK)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no " + MARK + " in the source");
    }
}
