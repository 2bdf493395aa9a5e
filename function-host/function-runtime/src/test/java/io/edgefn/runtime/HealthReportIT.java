package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.api.Message;
import io.edgefn.deploy.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The health report, as the gateway reports it upstream, after a function failed to start and was restarted. */
@Timeout(120)
class HealthReportIT {

    @TempDir
    Path dir;

    @Test
    void afterAFailedStartAndARestart_theReportShowsTheRestartTheTimesTheErrorAndTheBufferByPriority() throws Exception {
        Path jar = TestPackages.build(dir, "health", Map.of(
                "t.Flaky", """
                        package t;
                        import io.edgefn.api.*;
                        import java.util.concurrent.atomic.AtomicInteger;
                        @EdgeFunction("flaky")
                        public class Flaky {
                            private static final AtomicInteger STARTS = new AtomicInteger();
                            public Flaky() {
                                if (STARTS.incrementAndGet() == 1) throw new IllegalStateException("PLC not ready yet");
                            }
                            @RouteTrigger(input = "in") @SendTo("out")
                            public String onMessage(String body) { return "flaky saw " + body; }
                        }"""));
        String json = """
                {"version": "2026-01-15.3",
                 "packages": {"t": {"file": "%s"}},
                 "routes": {"in": "FROM /messages/* WHERE target = 'flaky' INTO BrokeredEndpoint(\\"/modules/flaky/inputs/in\\")",
                            "urgent": {"route": "FROM /messages/modules/flaky/outputs/out INTO $upstream", "priority": 0},
                            "plain": "FROM /messages/* WHERE kind = 'plain' INTO $upstream"}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "health deployment", dir);
        Instant before = Instant.now();
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("data"))
                .restartPolicy(new RestartPolicy(Duration.ofMillis(10), Duration.ofMillis(40), 3)).build().start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> host.functionState("flaky") == FunctionState.RUNNING);
            host.submit(Message.builder().body("a").property("target", "flaky").build()).get();
            host.submit(Message.builder().body("b").property("kind", "plain").build()).get();
            await().atMost(Duration.ofSeconds(10)).until(() -> host.stats().upstreamHeld() == 2);

            Map<String, Object> report = host.healthReport();
            // What the upstream link would send: through a plain mapper, no JavaTimeModule.
            ObjectMapper plain = new ObjectMapper();
            JsonNode r = plain.valueToTree(report);

            assertThat(r.get("schemaVersion").asText()).isEqualTo("1.0");
            assertThat(r.get("version").asText()).isEqualTo("2026-01-15.3");
            assertThat(r.at("/runtime/status").asText()).isEqualTo("running");
            JsonNode flaky = r.at("/functions/flaky");
            assertThat(flaky.get("runtimeStatus").asText()).isEqualTo("running");
            assertThat(flaky.get("restartCount").asInt()).isEqualTo(1);
            assertThat(flaky.get("lastError").asText()).contains("PLC not ready yet");
            assertThat(flaky.get("lastExitReason").asText()).contains("PLC not ready yet");
            Instant exited = Instant.parse(flaky.get("lastExitTimeUtc").asText());
            Instant started = Instant.parse(flaky.get("lastStartTimeUtc").asText());
            assertThat(exited).isAfterOrEqualTo(before.minusSeconds(1));
            assertThat(started).as("the restart came after the failed start").isAfterOrEqualTo(exited);
            assertThat(r.at("/buffer/depth").asLong()).isEqualTo(2);
            assertThat(r.at("/buffer/priorities/0/depth").asLong()).as("the function's output, priority 0").isEqualTo(1);
            assertThat(r.at("/buffer/priorities").size()).isEqualTo(2);
            assertThat(r.at("/buffer/diskFull").asBoolean()).isFalse();

            // GET /status writes the same stats with a plain mapper: the times are strings there too.
            JsonNode stats = plain.valueToTree(host.stats());
            assertThat(stats.at("/functions/flaky/lastStartTime").asText()).isEqualTo(started.toString());
            assertThat(stats.get("deploymentVersion").asText()).isEqualTo("2026-01-15.3");
        }
    }
}
