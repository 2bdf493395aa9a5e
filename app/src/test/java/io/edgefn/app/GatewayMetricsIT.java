package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgefn.app.gateway.Gateway;
import io.edgefn.deploy.Deployment;
import io.edgefn.hub.identity.ConnectionString;
import io.edgefn.hub.identity.SasToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway's {@code GET /metrics} over https: it takes the management token, exposes every
 * edgeHub-named metric docs/metrics.md lists for a gateway at zero from the start, and the
 * hub's counters move as a real MQTT client (Paho) connects, publishes and disconnects, and as a
 * client with a wrong key is refused.
 */
class GatewayMetricsIT {

    /** A row of docs/metrics.md's tables: | `name` | type | labels | exposed by | meaning |. */
    private static final Pattern ROW = Pattern.compile(
            "^\\|\\s*`((?:edgefn|edgehub)_[a-z0-9_]+)`\\s*\\|\\s*(counter|gauge|histogram)\\s*\\|[^|]*\\|\\s*(host|gateway)\\s*\\|");

    @TempDir
    Path dir;

    @Test
    void theHubsMetrics_startAtZero_andMoveAsAnMqttClientConnectsPublishesAndLeaves() throws Exception {
        Path data = dir.resolve("data");
        Deployment deployment = Deployment.parse("{\"routes\": {\"up\": \"FROM /messages/* INTO $upstream\"}}"
                .getBytes(StandardCharsets.UTF_8), "routes only", dir);
        try (Gateway gateway = Gateway.builder().deployment(deployment).dataDirectory(data).gatewayId("metricsgw")
                .hostname("localhost").mqttPort(-1).mqttPlainPort(0).httpPort(0).fleet(false).build().start();
             HttpClient http = HttpClient.newBuilder().sslContext(gateway.certificates().clientTrustContext()).build()) {
            String base = "https://localhost:" + gateway.host().httpPort() + "/metrics";
            String token = Files.readString(data.resolve("management.token")).trim();
            assertThat(get(http, base, null).statusCode()).isEqualTo(401);
            HttpResponse<String> first = get(http, base, token);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");

            List<String> gatewayMetrics = documentedGatewayMetrics();
            assertThat(gatewayMetrics).contains("edgehub_messages_received_total", "edgehub_queue_length");
            for (String name : gatewayMetrics) {
                assertThat(values(first.body(), name, "")).as("%s exposed", name).isNotEmpty();
                if (!name.equals("edgehub_reported_properties_total")) { // the gateway reports its deployment at start
                    assertThat(values(first.body(), name, "")).as("%s at zero from the start", name).allMatch(v -> v == 0);
                }
            }

            Map<String, String> device = ConnectionString.parse(
                    GatewayCli.run("devices", "add", "meter-1", "--data-dir", data.toString()));
            MqttClient client = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> connect(device, gateway.mqttPlainPort(), device.get("SharedAccessKey")), MqttClient::isConnected);
            for (int i = 0; i < 3; i++) {
                client.publish("devices/meter-1/messages/events/", ("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8), 1, false);
            }
            String connected = get(http, base, token).body();
            assertThat(sum(connected, "edgehub_messages_received_total", "")).isEqualTo(3);
            assertThat(sum(connected, "edgehub_connected_clients", "")).isEqualTo(1);
            assertThat(sum(connected, "edgehub_client_connect_success_total", "")).isEqualTo(1);
            assertThat(sum(connected, "edgehub_client_disconnect_total", "")).isZero();
            assertThat(sum(connected, "edgehub_queue_length", "priority=\"10\"")).isEqualTo(3);
            assertThat(sum(connected, "edgefn_route_messages_total", "route=\"up\"")).isEqualTo(3);
            // Connects tried before the registry was re-read with meter-1 were refused too.
            double refusedBefore = sum(connected, "edgehub_client_connect_failed_total", "reason=\"not_authorized\"");
            client.disconnect();
            client.close();
            String wrongKey = Base64.getEncoder().encodeToString(new byte[32]);
            assertThatThrownBy(() -> connect(device, gateway.mqttPlainPort(), wrongKey))
                    .isInstanceOf(MqttException.class);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                String after = get(http, base, token).body();
                assertThat(sum(after, "edgehub_client_disconnect_total", "")).isEqualTo(1);
                assertThat(sum(after, "edgehub_connected_clients", "")).isZero();
                assertThat(sum(after, "edgehub_client_connect_failed_total", "reason=\"not_authorized\""))
                        .isEqualTo(refusedBefore + 1);
            });
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The metrics docs/metrics.md lists as exposed by a gateway. */
    private static List<String> documentedGatewayMetrics() throws Exception {
        Path doc = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && doc == null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("docs/metrics.md"))) {
                doc = d.resolve("docs/metrics.md");
            }
        }
        assertThat(doc).as("docs/metrics.md above %s", Path.of("").toAbsolutePath()).isNotNull();
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(doc)) {
            Matcher m = ROW.matcher(line);
            if (m.find() && m.group(3).equals("gateway")) {
                names.add(m.group(2).equals("histogram") ? m.group(1) + "_count" : m.group(1));
            }
        }
        return names;
    }

    /** The values of the samples named {@code name} whose labels contain {@code labelText}. */
    private static List<Double> values(String exposition, String name, String labelText) {
        List<Double> values = new ArrayList<>();
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "(?:\\{([^}]*)\\})? (\\S+)$", Pattern.MULTILINE)
                .matcher(exposition);
        while (m.find()) {
            if (labelText.isEmpty() || (m.group(1) != null && m.group(1).contains(labelText))) {
                values.add(Double.parseDouble(m.group(2)));
            }
        }
        return values;
    }

    private static double sum(String exposition, String name, String labelText) {
        return values(exposition, name, labelText).stream().mapToDouble(Double::doubleValue).sum();
    }

    private static MqttClient connect(Map<String, String> device, int port, String key) throws MqttException {
        String id = device.get("DeviceId");
        String hub = device.get("HostName");
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1); // the default tries 3.1 again after a refusal
        options.setUserName(hub + "/" + id + "/?api-version=2021-04-12");
        options.setPassword(SasToken.create(hub + "/devices/" + id, Base64.getDecoder().decode(key),
                Instant.now().plus(Duration.ofHours(1)), null).toCharArray());
        client.connect(options);
        return client;
    }
}
