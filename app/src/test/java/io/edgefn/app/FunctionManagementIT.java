package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.app.gateway.Gateway;
import io.edgefn.deploy.Deployment;
import io.edgefn.testing.InMemoryCompiler;
import io.edgefn.testing.MosquittoBroker;
import io.edgefn.upstream.UpstreamConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function managed from a cloud application on a plain broker, through the gateway: it serves a
 * direct method, reacts to a desired patch (its settings change live and it reports back), its
 * reported properties reach the broker, and the gateway's own twin reports its health. The
 * desired properties outlive a restart of the gateway.
 */
class FunctionManagementIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aFunction_servesAMethod_takesADesiredPatchLive_andReportsBack_andTheGatewayReportsItsHealth() throws Exception {
        Path jar = InMemoryCompiler.withClassPathProcessors().compile("t.Limiter", """
                package t;
                import io.edgefn.api.*;
                import com.fasterxml.jackson.databind.JsonNode;
                import java.util.Map;
                @EdgeFunction("limiter")
                public class Limiter {
                    public record Check(double value) { }
                    @DirectMethodTrigger("check")
                    public Map<String, Object> check(Check request, FunctionContext context) {
                        double limit = context.settings().number("limit", 50);
                        return Map.of("over", request.value() > limit, "limit", limit);
                    }
                    @DesiredPropertiesTrigger
                    public void onDesired(JsonNode patch, FunctionContext context) {
                        context.twin().patchReported(Map.of("limit", context.settings().number("limit", 50)));
                    }
                    @RouteTrigger(input = "in")
                    public void ignore(String body) { }
                }""").orThrow().writeJar(dir.resolve("limiter.jar"));
        Deployment deployment = Deployment.parse(("""
                {"packages": {"t": {"file": "%s"}},
                 "routes": {"in": "FROM /messages WHERE kind = 'never' INTO BrokeredEndpoint(\\"/modules/limiter/inputs/in\\")"}}
                """).formatted(jar.toString().replace("\\", "\\\\")).getBytes(StandardCharsets.UTF_8), "managed function", dir);
        Path data = dir.resolve("data");

        try (MosquittoBroker cloud = MosquittoBroker.start(dir.resolve("cloud"))) {
            Map<String, String> seen = new ConcurrentHashMap<>();
            MqttClient app = new MqttClient(cloud.url(), "cloud-app", new MemoryPersistence());
            app.connect();
            app.subscribe("edgefn/#", 1, (topic, message) -> seen.merge(topic.substring(0, topic.indexOf("/?") < 0
                    ? topic.length() : topic.indexOf("/?")), new String(message.getPayload(), StandardCharsets.UTF_8),
                    (a, b) -> a + "\n" + b));
            UpstreamConfig upstream = UpstreamConfig.parse(cloud.url().replace("tcp://", "mqtt://"), null, Map.of());

            try (Gateway gateway = start(deployment, data, upstream)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> gateway.upstream().stats().state().name().equals("CONNECTED"));
                String methods = "edgefn/fngw/modules/limiter/$iothub/methods";

                app.publish(methods + "/POST/check/?$rid=1", "{\"value\": 60}".getBytes(StandardCharsets.UTF_8), 1, false);
                await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsKey(methods + "/res/200"));
                assertThat(JSON.readTree(seen.remove(methods + "/res/200")).path("over").asBoolean()).isTrue();

                app.publish("edgefn/fngw/modules/limiter/$iothub/twin/PATCH/properties/desired/?$version=1",
                        "{\"limit\": 75}".getBytes(StandardCharsets.UTF_8), 1, false);
                await().atMost(Duration.ofSeconds(30)).until(() -> seen.getOrDefault(
                        "edgefn/fngw/modules/limiter/$iothub/twin/PATCH/properties/reported", "").contains("75"));
                app.publish(methods + "/POST/check/?$rid=2", "{\"value\": 60}".getBytes(StandardCharsets.UTF_8), 1, false);
                await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsKey(methods + "/res/200"));
                JsonNode second = JSON.readTree(seen.remove(methods + "/res/200"));
                assertThat(second.path("over").asBoolean()).as("the new limit applies at once").isFalse();
                assertThat(second.path("limit").asDouble()).isEqualTo(75);

                app.publish(methods + "/POST/nothing/?$rid=3", "{}".getBytes(StandardCharsets.UTF_8), 1, false);
                await().atMost(Duration.ofSeconds(30)).until(() -> seen.containsKey(methods + "/res/404"));

                // The gateway's health, like $edgeAgent's reported properties.
                await().atMost(Duration.ofSeconds(30)).until(() -> seen.getOrDefault(
                        "edgefn/fngw/$iothub/twin/PATCH/properties/reported", "").contains("\"limiter\""));
                assertThat(seen.get("edgefn/fngw/$iothub/twin/PATCH/properties/reported")).contains("runtimeStatus")
                        .contains("restartCount");
            }

            // Restarted: the desired limit comes back from the gateway's twin store.
            try (Gateway gateway = start(deployment, data, upstream)) {
                assertThat(gateway.host().desiredProperties("limiter").path("limit").asDouble()).isEqualTo(75);
            } finally {
                app.disconnect();
                app.close();
            }
        }
    }

    private static Gateway start(Deployment deployment, Path data, UpstreamConfig upstream) {
        return Gateway.builder().deployment(deployment).dataDirectory(data).gatewayId("fngw").hostname("localhost")
                .mqttPort(-1).mqttPlainPort(0).upstream(upstream).build().start();
    }
}
