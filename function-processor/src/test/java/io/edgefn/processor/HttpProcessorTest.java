package io.edgefn.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.index.FunctionIndex;
import io.edgefn.index.ParameterDescriptor;
import io.edgefn.index.TriggerDescriptor;
import io.edgefn.testing.InMemoryCompiler;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /** Each misuse: a method (or two) of one function class, the error's line marked, and the error's text. */
    private static final List<String[]> MISUSES = List.of(
            misuse("has an invalid @HttpTrigger path: path \"/state\" starts or ends with '/'", """
                    @HttpTrigger("/state")
                    public String leadingSlash() { return ""; } /*!*/"""),
            misuse("segment \"p{id}\" (segment 2), which is neither a literal nor a whole {name}", """
                    @HttpTrigger("state/p{id}")
                    public String halfParameter() { return ""; } /*!*/"""),
            misuse("has an empty segment (segment 2)", """
                    @HttpTrigger("state//x")
                    public String emptySegment() { return ""; } /*!*/"""),
            misuse("names parameter {id} twice", """
                    @HttpTrigger("a/{id}/b/{id}")
                    public String twice() { return ""; } /*!*/"""),
            misuse("has @HttpTrigger methods [GET, GET]: give one or more, each once", """
                    @HttpTrigger(value = "a", methods = {HttpTrigger.Method.GET, HttpTrigger.Method.GET})
                    public String getTwice() { return ""; } /*!*/"""),
            misuse("HTTP GET \"state/{b}\" of function \"f\" is already served by method one", """
                    @HttpTrigger("state/{a}")
                    public String one(@PathParam("a") String a) { return a; }
                    @HttpTrigger(value = "state/{b}", methods = {HttpTrigger.Method.POST, HttpTrigger.Method.GET})
                    public String two(@PathParam("b") String b) { return b; } /*!*/"""),
            misuse("binds @PathParam(\"pump\"), but path \"pumps/{pumpId}\" has only [{pumpId}]", """
                    @HttpTrigger("pumps/{pumpId}")
                    public String notInPath(
                        @PathParam("pump") String pump) { return pump; } /*!*/"""),
            misuse("binds @PathParam(\"id\"), but onIn has no @HttpTrigger", """
                    @RouteTrigger(input = "in")
                    public void onIn(Message m,
                        @PathParam("id") String id) { } /*!*/"""),
            misuse("binds HttpRequestData, but call has no @HttpTrigger", """
                    @DirectMethodTrigger("call")
                    public void call(
                        HttpRequestData request) { } /*!*/"""),
            misuse("is an int annotated @PathParam(\"id\"): a path parameter binds only String", """
                    @HttpTrigger("s/{id}")
                    public String intParameter(
                        @PathParam("id") int id) { return ""; } /*!*/"""),
            misuse("but its return value is the HTTP answer", """
                    @HttpTrigger("s")
                    @SendTo("out")
                    public String sendsTo() { return ""; } /*!*/"""),
            misuse("which is no answer: return the body itself, an HttpResult, or void", """
                    @HttpTrigger("s")
                    public java.util.concurrent.CompletableFuture<String> future() { return null; } /*!*/"""),
            misuse("is an HttpCall without @HttpEndpoint", """
                    @RouteTrigger(input = "in2")
                    public void noEndpoint(Message m,
                        HttpCall vendor) { } /*!*/"""),
            misuse("give exactly one of url and urlSetting, not both", """
                    @RouteTrigger(input = "in3")
                    public void bothUrls(Message m,
                        @HttpEndpoint(url = "http://x", urlSetting = "u") HttpCall vendor) { } /*!*/"""),
            misuse("url \"ftp://x\" is not an http:// or https:// base URL with a host (and no query or fragment);"
                    + " timeoutMillis is 0; it must be at least 1; maxAttempts is 0", """
                    @RouteTrigger(input = "in4")
                    public void badEndpoint(Message m,
                        @HttpEndpoint(url = "ftp://x", timeoutMillis = 0, maxAttempts = 0) HttpCall vendor) { } /*!*/"""),
            misuse("is a java.lang.String annotated @HttpEndpoint", """
                    @RouteTrigger(input = "in5")
                    public void endpointOnAString(Message m,
                        @HttpEndpoint(url = "http://x") String vendor) { } /*!*/"""));

    /**
     * Every misuse in one class, compiled once (a compilation costs more than its checks): each is
     * one error, on its marked line, and nothing else is.
     */
    @Test
    void process_everyMisuse_isOneErrorOnItsLine() {
        StringBuilder body = new StringBuilder();
        MISUSES.forEach(m -> body.append(m[1]).append("\n"));
        String source = Sources.function(body.toString());
        List<String> lines = source.lines().toList();
        List<Long> marked = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(MARK)) {
                marked.add((long) i + 1);
            }
        }

        InMemoryCompiler.Result result = JAVAC.compile(Map.of("p.F", source.replace(MARK, ""))).writeTo(out);

        assertThat(result.success()).isFalse();
        assertThat(result.text(FunctionIndex.RESOURCE)).isEmpty();
        assertThat(result.errors()).allSatisfy(e -> assertThat(e.kind()).isEqualTo(Diagnostic.Kind.ERROR));
        assertThat(result.errors()).extracting(InMemoryCompiler.Message::line).containsExactlyInAnyOrderElementsOf(marked);
        for (int i = 0; i < MISUSES.size(); i++) {
            long line = marked.get(i);
            String message = MISUSES.get(i)[0];
            assertThat(result.errors()).as("the error on line %d", line)
                    .anySatisfy(e -> {
                        assertThat(e.line()).isEqualTo(line);
                        assertThat(e.text()).contains(message);
                    });
        }
    }

    private static String[] misuse(String message, String methods) {
        return new String[] {message, methods};
    }
}
