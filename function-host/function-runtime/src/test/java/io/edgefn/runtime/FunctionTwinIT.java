package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.deploy.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function's twin: desired patches change its settings for its next invocation and trigger its
 * {@code @DesiredPropertiesTrigger} method, in version order; what it reports reaches the host's
 * listener and {@link EdgeHost#reportedProperties}.
 */
@Timeout(120)
class FunctionTwinIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void desiredPatches_changeSettingsLive_triggerTheFunction_andItsReportedPatchesReachTheListener() throws Exception {
        Path jar = TestPackages.build(dir, "twin", Map.of("t.Thermostat", """
                package t;
                import com.fasterxml.jackson.databind.JsonNode;
                import io.edgefn.api.*;
                import java.util.Map;
                @EdgeFunction("thermostat")
                public class Thermostat {
                    @DirectMethodTrigger("settings")
                    public Map<String, Object> settings(FunctionContext context) {
                        return context.settings().asMap();
                    }

                    @DesiredPropertiesTrigger
                    public void onDesired(JsonNode patch, @Property("edgefn-desired-version") String version,
                                          FunctionContext context) {
                        context.twin().patchReported(Map.of("target", context.settings().number("target", -1),
                                "ackVersion", Long.parseLong(version), "patchKeys", patch.size()));
                    }
                }"""));
        String json = """
                {"packages": {"t": {"file": "%s", "settings": {"thermostat": {"target": 20, "unit": "C"}}}},
                 "routes": {}, "desired": {"thermostat": {"target": 21}}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "twin deployment", dir);
        List<String> reported = new CopyOnWriteArrayList<>();
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("data"))
                .onReportedPatch((function, patch) -> reported.add(function + " " + patch)).build().start()) {
            assertThat(settings(host)).isEqualTo(JSON.readTree("{\"target\": 21, \"unit\": \"C\"}"));

            assertThat(host.applyDesired("thermostat", JSON.readTree("{\"target\": 22.5, \"mode\": \"eco\", \"$version\": 3}"), 3))
                    .isTrue();

            // The next invocation sees the patch; the trigger method ran with it and reported.
            assertThat(settings(host)).isEqualTo(JSON.readTree("{\"target\": 22.5, \"unit\": \"C\", \"mode\": \"eco\"}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> reported.size() == 1);
            assertThat(JSON.readTree(reported.getFirst().substring("thermostat ".length())))
                    .isEqualTo(JSON.readTree("{\"target\": 22.5, \"ackVersion\": 3, \"patchKeys\": 2}"));

            // Stale and repeated versions are dropped, changing nothing and triggering nothing.
            assertThat(host.applyDesired("thermostat", JSON.readTree("{\"target\": 5}"), 2)).isFalse();
            assertThat(host.applyDesired("thermostat", JSON.readTree("{\"target\": 5}"), 3)).isFalse();
            assertThat(settings(host).get("target").asDouble()).isEqualTo(22.5);

            // null removes a key: the package's value shows again where there is one.
            assertThat(host.applyDesired("thermostat", JSON.readTree("{\"mode\": null, \"target\": null}"), 4)).isTrue();
            assertThat(settings(host)).isEqualTo(JSON.readTree("{\"target\": 20, \"unit\": \"C\"}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> reported.size() == 2);

            assertThat(reparsed(host.desiredProperties("thermostat"))).isEqualTo(JSON.readTree("{\"$version\": 4}"));
            assertThat(reparsed(host.reportedProperties("thermostat"))).isEqualTo(JSON.readTree(
                    "{\"target\": 20.0, \"ackVersion\": 4, \"patchKeys\": 2, \"$version\": 2}"));
            assertThat(host.reportedProperties("no-such-function")).isNull();
            assertThatThrownBy(() -> host.applyDesired("no-such-function", JSON.readTree("{}"), 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("thermostat");
            assertThatThrownBy(() -> host.applyDesired("thermostat", JSON.readTree("[1]"), 5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a JSON object");
        }
    }

    /** As a reader sees it: numbers compare by value, not by the node type that holds them. */
    private static JsonNode reparsed(JsonNode node) throws Exception {
        return JSON.readTree(node.toString());
    }

    private static JsonNode settings(EdgeHost host) throws Exception {
        MethodResponse r = host.invokeMethod("thermostat", "settings", null, Duration.ofSeconds(10)).get(30, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return JSON.readTree(r.payload());
    }
}
