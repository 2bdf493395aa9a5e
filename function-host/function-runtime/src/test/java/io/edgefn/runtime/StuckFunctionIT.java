package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.api.Message;
import io.edgefn.deploy.Deployment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function that spins and ignores its interrupt: it is reported stuck, degrades {@code /health},
 * does not starve the other functions, and does not hold a stop for longer than the drain time
 * plus a bound.
 */
class StuckFunctionIT {

    /** Set to let the spinning invocations return once the test is over: they ignore interrupts. */
    private static final String RELEASE = "edgefn.test.StuckFunctionIT.release";
    /**
     * As many spinners as the JVM has cores: on virtual threads they would hold every carrier,
     * which is what one spinner does on a one-core gateway.
     */
    private static final int SPINNERS = Runtime.getRuntime().availableProcessors();
    private static final Duration DRAIN = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private EdgeHost host;

    @AfterEach
    void release() {
        System.setProperty(RELEASE, "true");
        if (host != null) {
            host.close();
        }
    }

    @Test
    void aFunctionIgnoringItsInterrupt_isReportedStuck_degradesHealth_andStarvesNoOne() throws Exception {
        System.clearProperty(RELEASE);
        Path jar = TestPackages.build(dir, "stuck", Map.of(
                "t.Spinner", """
                        package t;
                        import io.edgefn.api.*;
                        @EdgeFunction(value = "spinner", timeoutMillis = 200, retries = 0, maxConcurrency = %d)
                        public class Spinner {
                            @RouteTrigger(input = "in")
                            public void onMessage(String body) {
                                while (!Boolean.getBoolean("%s")) {
                                    Thread.interrupted(); // ignores its timeout's interrupt, and never blocks
                                }
                            }
                        }""".formatted(SPINNERS, RELEASE),
                "t.Ticker", """
                        package t;
                        import io.edgefn.api.*;
                        @EdgeFunction("ticker")
                        public class Ticker {
                            @TimerTrigger(fixedRate = "PT0.05S")
                            public void tick() { }
                        }"""));
        String json = """
                {"packages": {"t": {"file": "%s"}},
                 "routes": {"spin": "FROM /messages/* INTO BrokeredEndpoint(\\"/modules/spinner/inputs/in\\")"}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "stuck deployment", dir);
        host = EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("data")).httpPort(0)
                .drainTimeout(DRAIN).build().start();
        await().atMost(Duration.ofSeconds(20)).until(() -> ticks() >= 3);

        for (int i = 0; i < SPINNERS; i++) {
            host.submit(Message.ofText("spin " + i)).get();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> spinner().stuck() == SPINNERS);
        assertThat(spinner().timeouts()).as("each stuck invocation is a timeout").isEqualTo(SPINNERS);
        assertThat(spinner().lastProblem()).contains("stuck").contains("200 ms timeout");
        assertThat(spinner().state()).isEqualTo(FunctionState.RUNNING);

        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(503);
        JsonNode status = new ObjectMapper().readTree(get("/status").body());
        assertThat(status.path("functions").path("spinner").path("stuck").asInt()).isEqualTo(SPINNERS);
        assertThat(status.path("functions").path("ticker").path("stuck").asInt()).isZero();

        // Every core has a spinner on it, and the ticker still gets its share.
        long before = ticks();
        await().atMost(Duration.ofSeconds(20)).until(() -> ticks() >= before + 5);

        // A hang guard, not a measurement: close() abandons the spinning threads instead of
        // waiting for them, so it returns in about the drain time plus two seconds.
        CountDownLatch closed = new CountDownLatch(1);
        Thread.ofPlatform().daemon().start(() -> {
            host.close();
            closed.countDown();
        });
        assertThat(closed.await(DRAIN.toSeconds() + 10, TimeUnit.SECONDS)).as("close() returned").isTrue();
        assertThat(host.state()).isEqualTo(HostState.STOPPED);
    }

    private FunctionStats spinner() {
        return host.stats().functions().get("spinner");
    }

    private long ticks() {
        return host.stats().functions().get("ticker").invocations();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.httpPort() + path)).header("Authorization",
                        "Bearer " + java.nio.file.Files.readString(dir.resolve("data").resolve(DataDirectory.MANAGEMENT_TOKEN_FILE)).trim())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
