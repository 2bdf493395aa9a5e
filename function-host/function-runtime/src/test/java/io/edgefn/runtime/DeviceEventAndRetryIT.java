package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.api.Message;
import io.edgefn.api.Retry;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.deploy.Deployment;
import io.edgefn.routes.CompiledRoute;
import io.edgefn.routes.RouteTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function with {@code @DeviceEventTrigger}, {@code @OnStart} and a method's {@code @Retry} in a
 * real host: a device's frame reaches the method through the generated route (after the start
 * hook ran), a failing method is retried per its own policy and dead-lettered with its attempts,
 * and the function's status counts the retries and the durations.
 */
class DeviceEventAndRetryIT {

    private static final String WATCH = """
            package t;
            import io.edgefn.api.*;
            @EdgeFunction(value = "pump-watch", retries = 0)
            public class PumpWatch {
                private volatile String opened = "not opened";
                @OnStart
                public void open(FunctionContext context) {
                    opened = "opened by " + context.functionName();
                }
                @DeviceEventTrigger(device = "pump-01")
                @SendTo("seen")
                public String onPump(String body) {
                    return opened + ": " + body;
                }
                @RouteTrigger(input = "flaky")
                @Retry(maxAttempts = 3, delay = "PT0.001S", backoff = 1, maxDelay = "PT0.001S")
                public void flaky(String body) {
                    throw new IllegalStateException("valve stuck");
                }
            }
            """;

    @TempDir
    static Path packages;
    private static Path jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildThePackageOnce() {
        jar = TestPackages.build(packages, "watch", Map.of("t.PumpWatch", WATCH));
    }

    private Deployment deployment(String device) {
        String json = """
                {"packages": {"watch": {"file": "%s"}},
                 "devices": {"%s": {"driver": "sphere-link", "port": "/dev/edgefn-test-no-such-port", "baud": 115200}},
                 "routes": {"up": "FROM /messages/modules/pump-watch/outputs/* INTO $upstream",
                            "flaky": "FROM /messages/* WHERE $connectionDeviceId = 'other' INTO BrokeredEndpoint(\\"/modules/pump-watch/inputs/flaky\\")"}}
                """.formatted(jar, device);
        return Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "test deployment", dir);
    }

    @Test
    void aDeviceFrame_reachesTheMethod_andAFailingMethodIsRetriedPerItsPolicyThenDeadLettered() throws Exception {
        try (EdgeHost host = EdgeHost.builder().deployment(deployment("pump-01")).dataDirectory(dir.resolve("data"))
                .transports((port, baud) -> {
                    throw new IOException("no serial port in this test: " + port);
                }).build().start()) {
            host.submit(Message.builder().jsonBody("{\"pressure\": 120}").build(), MessageOrigin.serialDevice("pump-01")).get();
            host.submit(Message.builder().jsonBody("{\"pressure\": 1}").build(), MessageOrigin.serialDevice("other")).get();

            await().atMost(Duration.ofSeconds(20)).until(() -> host.stats().upstreamHeld() == 2);
            List<Message> upstream = new ArrayList<>();
            for (BufferedRecord r : host.buffer().cursor(UpstreamRecords.CURSOR).poll(10)) {
                upstream.add(UpstreamRecords.decode(r.payload()));
            }
            assertThat(upstream).filteredOn(m -> m.source().endsWith("/outputs/seen")).singleElement()
                    .satisfies(m -> assertThat(m.bodyAsString()).isEqualTo("opened by pump-watch: {\"pressure\": 120}"));
            assertThat(upstream).filteredOn(m -> m.source().endsWith("/outputs/deadletter")).singleElement()
                    .satisfies(m -> {
                        assertThat(m.property(Retry.ATTEMPTS_PROPERTY)).isEqualTo("3");
                        assertThat(m.property("edgefn-error")).contains("valve stuck");
                        assertThat(m.property("edgefn-input")).isEqualTo("flaky");
                    });

            FunctionStats stats = host.stats().functions().get("pump-watch");
            assertThat(stats.retries()).isEqualTo(2);
            assertThat(stats.durations().count()).isEqualTo(4);
            assertThat(stats.durations().buckets().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(4);
            // The status JSON (GET /status, edgefn status --json) carries them as Jackson writes the records.
            JsonNode json = new ObjectMapper().valueToTree(stats);
            assertThat(json.get("retries").asLong()).isEqualTo(2);
            assertThat(json.at("/durations/count").asLong()).isEqualTo(4);
            assertThat(json.at("/durations/buckets").has("+Inf")).isTrue();
            assertThat(json.at("/durations").has("p99Millis")).isTrue();
        }
    }

    @Test
    void checkRoutes_listsTheGeneratedRouteAfterTheDeploymentsOwn() {
        EdgeHost.CheckedRoutes checked = EdgeHost.checkDeploymentRoutes(deployment("pump-01"));

        RouteTable table = checked.table();
        assertThat(table.routes()).extracting(CompiledRoute::name).containsExactly("up", "flaky", "$device:pump-watch:pump-01");
        CompiledRoute generated = table.routes().get(2);
        assertThat(generated.conditionText()).isEqualTo("$connectionDeviceId = 'pump-01'");
        assertThat(generated.sink().address()).isEqualTo("/modules/pump-watch/inputs/device.pump-01");
        assertThat(checked.generated()).containsExactly(Map.entry("$device:pump-watch:pump-01",
                "@DeviceEventTrigger(device = \"pump-01\") on pump-watch.onPump"));
    }

    @Test
    void aDeviceTheDeploymentLacks_isRefusedBeforeAnyFunctionRuns() {
        HostException e = catchThrowableOfType(HostException.class, () -> EdgeHost.checkRoutes(deployment("pump-02")));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("function pump-watch method onPump has @DeviceEventTrigger(device = \"pump-01\")")
                .contains("the deployment's devices have no 'pump-01' (they are pump-02)");
    }
}
