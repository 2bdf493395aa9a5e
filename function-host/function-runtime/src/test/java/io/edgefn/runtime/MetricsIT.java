package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.deploy.Deployment;
import io.edgefn.devices.InMemoryTransport;
import io.edgefn.devices.sim.PumpSimulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a real host over real HTTP: it takes the management token, exposes
 * every metric docs/metrics.md lists for a host at zero before anything happened, and its
 * counters move as a simulated pump MCU's readings flow through a safety-critical function that
 * commands the pump (frames, command latency, the control loop, the function's and the route's
 * counts) — and {@code GET /status} shows the same device link and loop.
 */
class MetricsIT {

    private static final String GUARD = """
            package t;
            import io.edgefn.api.*;
            import java.util.Map;
            @EdgeFunction(value = "guard", retries = 0)
            public class Guard {
                private boolean commanded;
                @RouteTrigger(input = "readings")
                public void onReading(String body, DeviceCommands devices) throws Exception {
                    if (!commanded) {
                        commanded = true;
                        devices.send("pump-01", "shutdown", Map.of("reason", "test")).toCompletableFuture().get();
                    }
                }
            }
            """;

    @TempDir
    static Path packages;
    private static Path jar;

    @TempDir
    Path dir;

    private final AtomicReference<PumpSimulator> simulator = new AtomicReference<>();
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void buildThePackageOnce() {
        jar = TestPackages.build(packages, "guard", Map.of("t.Guard", GUARD));
    }

    @AfterEach
    void stop() {
        PumpSimulator s = simulator.get();
        if (s != null) {
            s.close();
        }
        client.close();
    }

    private Deployment deployment() {
        String json = """
                {"packages": {"guard": {"file": "%s"}},
                 "devices": {"pump-01": {"driver": "sphere-link", "port": "line-%s", "baud": 115200}},
                 "routes": {"readings": "FROM /messages/* WHERE $connectionDeviceId = 'pump-01' INTO BrokeredEndpoint(\\"/modules/guard/inputs/readings\\")",
                            "up": "FROM /messages/* INTO $upstream"}}
                """.formatted(jar, System.nanoTime());
        return Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "metrics test", dir);
    }

    private HttpResponse<String> get(EdgeHost host, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.httpPort() + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(Path data) throws IOException {
        return Files.readString(data.resolve(DataDirectory.MANAGEMENT_TOKEN_FILE)).trim();
    }

    @Test
    void metrics_needTheToken_andExposeEveryDocumentedHostMetricAtZeroFromTheStart() throws Exception {
        Path data = dir.resolve("data");
        try (EdgeHost host = EdgeHost.builder().deployment(deployment()).dataDirectory(data).httpPort(0)
                .transports((port, baud) -> {
                    throw new IOException("no serial port in this test: " + port);
                }).build().start()) {
            assertThat(get(host, "/metrics", null).statusCode()).isEqualTo(401);
            assertThat(get(host, "/metrics", "not-" + token(data)).statusCode()).isEqualTo(401);

            HttpResponse<String> ok = get(host, "/metrics", token(data));

            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
            List<MetricsDoc.Metric> documented = MetricsDoc.metrics();
            assertThat(documented).extracting(MetricsDoc.Metric::exposedBy).contains("host", "gateway");
            for (MetricsDoc.Metric metric : documented) {
                if (!metric.exposedBy().equals("host")) {
                    continue;
                }
                String sampled = metric.type().equals("histogram") ? metric.name() + "_count" : metric.name();
                List<Double> values = MetricsDoc.samples(ok.body(), sampled);
                assertThat(values).as("%s exposed", sampled).isNotEmpty();
                if (!metric.name().endsWith("_state")) {
                    assertThat(values).as("%s at zero before anything happened", sampled).allMatch(v -> v == 0);
                }
            }
            assertThat(MetricsDoc.sum(ok.body(), "edgefn_function_state", "state=\"RUNNING\"")).isEqualTo(1);
        }
    }

    @Test
    void countersMove_asAPumpsReadingsFlowThroughASafetyFunctionThatCommandsThePump() throws Exception {
        Path data = dir.resolve("data");
        try (EdgeHost host = EdgeHost.builder().deployment(deployment()).dataDirectory(data).httpPort(0)
                .transports(InMemoryTransport.factory(deviceEnd -> {
                    PumpSimulator sim = PumpSimulator.builder(deviceEnd).deviceId("pump-01").telemetryHz(50).seed(7).build();
                    simulator.set(sim);
                    sim.start();
                })).build().start()) {
            String token = token(data);
            await().atMost(Duration.ofSeconds(20)).until(() -> simulator.get() != null
                    && simulator.get().commandsActedOn() == 1);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String m = get(host, "/metrics", token).body();
                assertThat(MetricsDoc.sum(m, "edgefn_device_frames_in_total", "device=\"pump-01\"")).isPositive();
                assertThat(MetricsDoc.sum(m, "edgefn_device_frames_out_total", "device=\"pump-01\"")).isPositive();
                assertThat(MetricsDoc.sum(m, "edgefn_device_link_state", "state=\"ONLINE\"")).isEqualTo(1);
                assertThat(MetricsDoc.sum(m, "edgefn_device_command_latency_seconds_count", "device=\"pump-01\"")).isEqualTo(1);
                assertThat(MetricsDoc.samples(m, "edgefn_control_loop_seconds_count")).containsExactly(1.0);
                assertThat(MetricsDoc.sum(m, "edgefn_function_invocations_total", "function=\"guard\"")).isPositive();
                assertThat(MetricsDoc.sum(m, "edgefn_function_duration_seconds_count", "function=\"guard\"")).isPositive();
                assertThat(MetricsDoc.sum(m, "edgefn_route_messages_total", "route=\"readings\"")).isPositive();
                assertThat(MetricsDoc.sum(m, "edgefn_buffer_depth", "cursor=\"" + UpstreamRecords.CURSOR + "\""))
                        .isPositive();
            });

            JsonNode status = new ObjectMapper().readTree(get(host, "/status", token).body());
            JsonNode link = status.path("deviceLinks").path("pump-01");
            assertThat(link.path("state").asText()).isEqualTo("ONLINE");
            assertThat(link.path("framesIn").asLong()).isPositive();
            assertThat(link.path("commandLatency").path("count").asLong()).isEqualTo(1);
            assertThat(link.path("commandLatency").path("maxMillis").asDouble()).isPositive();
            JsonNode frames = link.path("lastFrames");
            assertThat(frames.size()).isBetween(1, 10);
            assertThat(frames.get(frames.size() - 1).path("at").asText()).isNotEmpty();
            assertThat(frames.findValuesAsText("type")).contains("TELEMETRY");
            assertThat(frames.findValuesAsText("direction")).containsAnyOf("in");
            JsonNode loop = status.path("loop");
            assertThat(loop.path("count").asLong()).isEqualTo(1);
            assertThat(loop.path("maxMillis").asDouble()).isPositive();
            assertThat(loop.path("buckets").get(0).path("leMillis").asDouble()).isEqualTo(0.1);
            assertThat(loop.path("buckets").get(loop.path("buckets").size() - 1).path("count").asLong())
                    .isLessThanOrEqualTo(1);
        }
    }
}
