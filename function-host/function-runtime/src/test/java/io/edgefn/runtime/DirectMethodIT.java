package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.deploy.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Functions serve direct methods through the host's public API: answers with their status and JSON
 * payload, a throwing method contained as a 500, the statuses the host gives itself (400, 404,
 * 503, 504), and calls that overlap up to the function's concurrency. One host for the scenarios.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class DirectMethodIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALLER = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    private EdgeHost host;

    @BeforeAll
    void start() {
        Path jar = TestPackages.build(dir, "methods", Map.of(
                "t.PumpControl", """
                        package t;
                        import com.fasterxml.jackson.databind.JsonNode;
                        import io.edgefn.api.*;
                        import java.util.Map;
                        import java.util.concurrent.CyclicBarrier;
                        import java.util.concurrent.TimeUnit;
                        import java.util.concurrent.atomic.AtomicInteger;
                        @EdgeFunction(value = "pump-control", maxConcurrency = 2, timeoutMillis = 5_000)
                        public class PumpControl {
                            public record Stop(String reason) { }
                            public record Stopped(String reason, int stops) { }
                            private final AtomicInteger stops = new AtomicInteger();
                            private final CyclicBarrier pair = new CyclicBarrier(2);

                            @DirectMethodTrigger("stop")
                            public Stopped stop(Stop request) {
                                return new Stopped(request.reason(), stops.incrementAndGet());
                            }

                            @DirectMethodTrigger("refuse")
                            public MethodResult refuse(JsonNode request) {
                                return MethodResult.of(409, Map.of("why", "busy", "asked", request));
                            }

                            @DirectMethodTrigger("explode")
                            public void explode(String payload) {
                                throw new IllegalStateException("boom on " + payload);
                            }

                            @DirectMethodTrigger("nap")
                            public String nap(FunctionContext context) {
                                try {
                                    Thread.sleep(60_000);
                                    return "woke";
                                } catch (InterruptedException e) {
                                    context.twin().patchReported(Map.of("napInterrupted", true));
                                    return "interrupted";
                                }
                            }

                            @DirectMethodTrigger("meet")
                            public String meet(FunctionContext context) throws Exception {
                                // Both calls must run at once to pass the barrier.
                                return "met " + pair.await(3, TimeUnit.SECONDS);
                            }
                        }""",
                "t.Broken", """
                        package t;
                        import io.edgefn.api.*;
                        @EdgeFunction("broken")
                        public class Broken {
                            public Broken() { throw new IllegalStateException("cannot reach the PLC"); }
                            @DirectMethodTrigger("stop") public void stop(String payload) { }
                        }"""));
        String json = """
                {"packages": {"t": {"file": "%s"}}, "routes": {}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "methods deployment", dir);
        host = EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("data"))
                .restartPolicy(new RestartPolicy(Duration.ofMillis(10), Duration.ofMillis(40), 2)).build().start();
    }

    @AfterAll
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    private MethodResponse call(String function, String method, String payload, Duration timeout) throws Exception {
        return host.invokeMethod(function, method, payload == null ? null : payload.getBytes(StandardCharsets.UTF_8), timeout)
                .get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static JsonNode json(MethodResponse r) throws Exception {
        return JSON.readTree(r.payload());
    }

    @Test
    void aMethodThatReturns_answers200WithItsValueAsJson() throws Exception {
        MethodResponse r = call("pump-control", "stop", "{\"reason\": \"maintenance\", \"extra\": 1}", CALLER);

        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r).get("reason").asText()).isEqualTo("maintenance");
        assertThat(json(r).get("stops").asInt()).isPositive();
    }

    @Test
    void aMethodResult_givesItsOwnStatusAndPayload() throws Exception {
        MethodResponse r = call("pump-control", "refuse", "[1, 2]", CALLER);

        assertThat(r.status()).isEqualTo(409);
        assertThat(json(r)).isEqualTo(JSON.readTree("{\"why\": \"busy\", \"asked\": [1, 2]}"));
    }

    @Test
    void aMethodThatThrows_answers500WithTheMessage_andTheFunctionKeepsServing() throws Exception {
        MethodResponse r = call("pump-control", "explode", "\"now\"", CALLER);

        assertThat(r.status()).isEqualTo(500);
        assertThat(json(r).get("error").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(json(r).get("message").asText()).isEqualTo("boom on \"now\"");
        assertThat(host.functionState("pump-control")).isEqualTo(FunctionState.RUNNING);
        assertThat(call("pump-control", "stop", "{\"reason\": \"after\"}", CALLER).status()).isEqualTo(200);
        assertThat(host.stats().functions().get("pump-control").lastProblem()).contains("boom on");
    }

    @Test
    void unknownMethodOrFunction_answers404() throws Exception {
        MethodResponse noMethod = call("pump-control", "start", "{}", CALLER);
        MethodResponse noFunction = call("no-such-function", "stop", "{}", CALLER);

        assertThat(noMethod.status()).isEqualTo(404);
        assertThat(json(noMethod).get("message").asText()).contains("has no direct method 'start'");
        assertThat(noFunction.status()).isEqualTo(404);
    }

    @Test
    void payloadThatIsNotJsonOrDoesNotFit_answers400() throws Exception {
        assertThat(call("pump-control", "stop", "{not json", CALLER).status()).isEqualTo(400);
        MethodResponse misfit = call("pump-control", "stop", "[1, 2]", CALLER);
        assertThat(misfit.status()).isEqualTo(400);
        assertThat(json(misfit).get("message").asText()).contains("does not fit direct method 'stop'");
    }

    @Test
    void aFunctionThatIsNotRunning_answers503() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> host.functionState("broken") == FunctionState.FAILED);

        MethodResponse r = call("broken", "stop", "{}", CALLER);

        assertThat(r.status()).isEqualTo(503);
        assertThat(json(r).get("message").asText()).contains("function broken is failed");
    }

    @Test
    void aMethodThatOutlastsTheCallersTimeout_answers504_andIsInterrupted() throws Exception {
        long started = System.nanoTime();
        MethodResponse r = call("pump-control", "nap", null, Duration.ofMillis(300));

        assertThat(r.status()).isEqualTo(504);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        // The invocation was interrupted at the caller's timeout, not left to sleep for a minute.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(host.reportedProperties("pump-control").path("napInterrupted").asBoolean()).isTrue());
        assertThat(host.stats().functions().get("pump-control").timeouts()).isPositive();
    }

    @Test
    void concurrentCalls_overlapUpToTheFunctionsConcurrency() throws Exception {
        List<CompletableFuture<MethodResponse>> calls = IntStream.range(0, 2)
                .mapToObj(i -> host.invokeMethod("pump-control", "meet", null, CALLER)).toList();

        for (CompletableFuture<MethodResponse> c : calls) {
            MethodResponse r = c.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        assertThat(calls).extracting(c -> c.join().payloadAsString()).containsExactlyInAnyOrder("\"met 0\"", "\"met 1\"");
    }
}
