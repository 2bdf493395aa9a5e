package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.deploy.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function's State survives a restart of the host on the same data directory; a desired
 * trigger gets the patch and the settings after it as parameters and reports through a
 * ReportedProperties parameter, without its FunctionContext.
 */
@Timeout(120)
class StateAndTwinBindingsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void stateSurvivesAHostRestart_andADesiredTriggerGetsThePatchAndTheNewSettings() throws Exception {
        Path jar = TestPackages.build(dir, "counter", Map.of("t.Counter", """
                package t;
                import com.fasterxml.jackson.databind.JsonNode;
                import io.edgefn.api.*;
                import java.util.Map;
                @EdgeFunction(value = "counter", maxConcurrency = 4)
                public class Counter {
                    public record Count(long value, String by) { }

                    @DirectMethodTrigger("count")
                    public long count(@StateStore("counts") State<Count> counts, Settings settings) {
                        return counts.update("total", c -> new Count(c == null ? 1 : c.value() + 1,
                                settings.string("who").orElse("?"))).value();
                    }

                    @DesiredPropertiesTrigger
                    public void onDesired(JsonNode patch, Settings settings, ReportedProperties reported) {
                        reported.patch(Map.of("who", settings.string("who").orElse("?"), "patchKeys", patch.size(),
                                "limit", settings.number("limit", -1)));
                    }
                }"""));
        String json = """
                {"packages": {"t": {"file": "%s", "settings": {"counter": {"who": "pkg", "limit": 3}}}}, "routes": {}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "counter deployment", dir);
        Path data = dir.resolve("data");

        try (EdgeHost host = start(deployment, data)) {
            assertThat(count(host)).isEqualTo(1);
            assertThat(count(host)).isEqualTo(2);

            assertThat(host.applyDesired("counter", JSON.readTree("{\"who\": \"cloud\", \"$version\": 7}"), 7)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> host.reportedProperties("counter").has("who"));
            JsonNode reported = JSON.readTree(host.reportedProperties("counter").toString());
            assertThat(reported.get("who").asText()).isEqualTo("cloud"); // the settings after the patch
            assertThat(reported.get("patchKeys").asInt()).isEqualTo(1); // the patch itself: {"who": "cloud"}
            assertThat(reported.get("limit").asDouble()).isEqualTo(3.0); // and the rest of the settings
        }
        assertThat(Files.exists(data.resolve("state/counter/counts.log"))).isTrue();

        try (EdgeHost host = start(deployment, data)) { // the same data directory: a restart
            assertThat(count(host)).isEqualTo(3);
        }
    }

    private static EdgeHost start(Deployment deployment, Path data) {
        return EdgeHost.builder().deployment(deployment).dataDirectory(data).build().start();
    }

    private static long count(EdgeHost host) throws Exception {
        MethodResponse r = host.invokeMethod("counter", "count", null, Duration.ofSeconds(10)).get(30, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return Long.parseLong(new String(r.payload(), StandardCharsets.UTF_8).trim());
    }
}
