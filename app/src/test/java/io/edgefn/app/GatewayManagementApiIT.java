package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.app.cli.EdgefnCommand;
import io.edgefn.app.gateway.Gateway;
import io.edgefn.deploy.Deployment;
import io.edgefn.hub.twin.TwinId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway's management API as {@code edgefn run} serves it: over TLS with the gateway's own
 * certificate, every call but {@code GET /health} needing the token; and the gateway's reported
 * properties carrying its deployment's version and state. One in-process gateway per test.
 */
class GatewayManagementApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Gateway gateway;
    private String base;
    private String token;

    private Deployment deployment(String version) throws Exception {
        return Deployment.parse("""
                {"version": "%s", "healthGate": {"seconds": 1}, "routes": {"up": "FROM /messages/* INTO $upstream"}}"""
                .formatted(version).getBytes(StandardCharsets.UTF_8), "deployment " + version, dir);
    }

    @BeforeEach
    void start() throws Exception {
        Path data = dir.resolve("data");
        gateway = Gateway.builder().deployment(deployment("v1")).dataDirectory(data).gatewayId("tlsgw")
                .hostname("localhost").mqttPort(0).httpPort(0).fleet(false).build().start();
        base = "https://localhost:" + gateway.host().httpPort();
        token = Files.readString(data.resolve("management.token")).trim();
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().sslContext(gateway.certificates().clientTrustContext()).build()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void overHttps_everyCallButHealthNeedsTheToken_andAClientWithoutTheCaGetsAClearTlsError() throws Exception {
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
        for (String path : new String[] {"/status", "/deployments"}) {
            assertThat(get(path, null).statusCode()).as("%s without a token", path).isEqualTo(401);
            assertThat(get(path, "Bearer wrong").statusCode()).as("%s with a wrong token", path).isEqualTo(401);
            assertThat(get(path, "Bearer " + token).statusCode()).as("%s with the token", path).isEqualTo(200);
        }
        JsonNode status = JSON.readTree(get("/status", "Bearer " + token).body());
        assertThat(status.path("deployment").path("version").asText()).isEqualTo("v1");

        try (HttpClient systemTrust = HttpClient.newHttpClient()) {
            assertThatThrownBy(() -> systemTrust.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
        }
        try (StdoutCapture out = StdoutCapture.stdoutAndStderr()) {
            assertThat(EdgefnCommand.execute("deployments", "--gateway", base, "--token", token)).isEqualTo(1);
            assertThat(out.err()).contains("the TLS handshake failed").contains("not issued by a CA trusted here")
                    .contains("--ca PEM").contains("edgefn certs export");
        }
        String ca = dir.resolve("data/identity/certs/ca.pem").toString();
        try (StdoutCapture out = StdoutCapture.stdoutAndStderr()) {
            assertThat(EdgefnCommand.execute("deployments", "--gateway", base, "--token", token, "--ca", ca))
                    .as("%s", out.err()).isZero();
            assertThat(out.out()).contains("v1");
        }
        try (StdoutCapture out = StdoutCapture.stdoutAndStderr()) {
            assertThat(EdgefnCommand.execute("status", "--data-dir", dir.resolve("data").toString(), "--json"))
                    .as("%s", out.err()).isZero();
            assertThat(JSON.readTree(out.out()).path("deployment").path("state").asText()).isEqualTo("APPLIED");
        }
    }

    @Test
    void theReportedProperties_carryTheDeployment_atStartAndAfterAChange() throws Exception {
        TwinId twin = TwinId.device("tlsgw");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode reported = gateway.management().twin(twin).reported();
            assertThat(reported.path("deployment").path("version").asText()).isEqualTo("v1");
            assertThat(reported.path("deployment").path("state").asText()).isEqualTo("APPLIED");
        });

        assertThat(gateway.host().deployments().apply(deployment("v2")).get().state().name()).isEqualTo("APPLIED");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode reported = gateway.management().twin(twin).reported();
            assertThat(reported.path("deployment").path("version").asText()).isEqualTo("v2");
            assertThat(reported.path("deployment").path("state").asText()).isEqualTo("APPLIED");
        });
    }
}
