package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.app.cli.EdgefnCommand;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function author's first messages: {@code edgefn run} as a real process, {@code edgefn send}
 * into it as device {@code sensor-1}, {@code edgefn buffer peek --json} showing what a route held
 * for upstream, {@code edgefn status --json} counting the routes and a function's invocations.
 */
class SendCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Process process;

    @AfterEach
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void sentReadings_areRoutedAsTheDevices_heldReadingsArePeeked_andStatusCountsThem() throws Exception {
        Path data = dir.resolve("data");
        int httpPort = startHost(data, """
                {"packages": {"pump": {"file": "packages/pump-functions.jar"}},
                 "routes": {"hot": "FROM /messages WHERE as_number($body.temperature) > 50 INTO $upstream",
                            "readings": "FROM /messages WHERE $connectionDeviceId = 'pump-01' INTO BrokeredEndpoint(\\"/modules/pump-analytics/inputs/readings\\")"}}""");

        Result hot = edgefn("send", "--data-dir", data.toString(), "--device", "sensor-1", "{\"temperature\": 99}");
        Result cold = edgefn("send", "--data-dir", data.toString(), "--device", "sensor-1", "{\"temperature\": 10}");
        assertThat(hot.status()).as(hot.err()).isZero();
        assertThat(hot.out()).matches("[0-9a-f-]{36} taken\n");
        assertThat(cold.status()).as(cold.err()).isZero();

        Result peek = edgefn("buffer", "peek", "--data-dir", data.toString(), "--json");
        assertThat(peek.status()).as(peek.err()).isZero();
        List<String> lines = peek.out().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode held = JSON.readTree(lines.getFirst());
        assertThat(held.path("body").asText()).isEqualTo("{\"temperature\": 99}");
        assertThat(held.path("priority").isInt()).isTrue();
        assertThat(held.path("ageMillis").asLong()).isNotNegative();
        JsonNode system = held.path("systemProperties");
        assertThat(system.path("messageId").asText()).isEqualTo(hot.out().split(" ")[0]);
        assertThat(system.path("connectionDeviceId").asText()).isEqualTo("sensor-1");
        assertThat(system.path("contentType").asText()).isEqualTo("application/json");
        assertThat(system.path("contentEncoding").asText()).isEqualTo("utf-8");
        assertThat(system.path("connectionAuthMethod").asText()).contains("\"type\":\"managementApi\"");

        Result readings = edgefnWithStdin("""
                {"ts": 1, "pressure": 85.0, "temp": 40.0, "rpm": 1500}

                {"ts": 2, "pressure": 85.5, "temp": 40.1, "rpm": 1500}
                {"ts": 3, "pressure": 86.0, "temp": 40.2, "rpm": 1500}
                """, "send", "--data-dir", data.toString(), "--device", "pump-01", "--property", "frameType=telemetry", "-");
        assertThat(readings.status()).as(readings.err()).isZero();
        assertThat(readings.out().lines()).hasSize(3).allMatch(l -> l.endsWith(" taken"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Result status = edgefn("status", "--data-dir", data.toString(), "--json");
            assertThat(status.status()).as(status.err()).isZero();
            JsonNode s = JSON.readTree(status.out());
            assertThat(s.path("messagesByRoute").path("hot").asLong()).isEqualTo(1);
            assertThat(s.path("messagesByRoute").path("readings").asLong()).isEqualTo(3);
            assertThat(s.path("functions").path("pump-analytics").path("invocations").asLong()).isEqualTo(3);
            assertThat(s.path("functions").path("pump-analytics").path("failures").asLong()).isZero();
            assertThat(s.path("functions").path("anomaly-detector").path("invocations").asLong()).isZero();
        });

        String ca = data.resolve("identity/certs/ca.pem").toString();
        Result stranger = edgefn("send", "--gateway", "https://127.0.0.1:" + httpPort, "--token", "not-the-token",
                "--ca", ca, "--device", "sensor-1", "{\"temperature\": 99}");
        assertThat(stranger.status()).isEqualTo(1);
        assertThat(stranger.err()).contains("edgefn send: the token was refused by https://127.0.0.1:" + httpPort)
                .contains("management.token").doesNotContain("Exception");

        String token = Files.readString(data.resolve("management.token")).trim();
        Result untrusted = edgefn("send", "--gateway", "https://localhost:" + httpPort, "--token", token,
                "--device", "sensor-1", "x");
        assertThat(untrusted.status()).isEqualTo(1);
        assertThat(untrusted.err()).contains("the TLS handshake failed").contains("--ca PEM")
                .contains("edgefn certs export").doesNotContain("Exception:");
        Result plain = edgefn("send", "--gateway", "http://localhost:" + httpPort, "--token", token, "--device", "sensor-1", "x");
        assertThat(plain.status()).isEqualTo(1);
        assertThat(plain.err()).contains("use an https:// URL");

        Result remote = edgefn("send", "--gateway", "https://localhost:" + httpPort + "/", "--token", token, "--ca", ca,
                "--device", "sensor-1", "--property", "site=north", "plain text");
        assertThat(remote.status()).as(remote.err()).isZero();
        assertThat(edgefn("buffer", "peek", "--data-dir", data.toString(), "--json").out().lines())
                .as("a plain text body matches no $body route").hasSize(1);
    }

    @Test
    void send_toADirectoryWithoutAHost_saysSo() throws Exception {
        Files.createDirectories(dir.resolve("idle"));

        Result r = edgefn("send", "--data-dir", dir.resolve("idle").toString(), "--device", "d", "x");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("edgefn send: no edgefn host is running on " + dir.resolve("idle"))
                .contains("edgefn run --data-dir");
    }

    @Test
    void send_toAGatewayNobodyServes_saysItCannotReachIt() throws Exception {
        Result r = edgefn("send", "--gateway", "http://127.0.0.1:1", "--token", "t", "--device", "d", "x");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("cannot reach http://127.0.0.1:1").doesNotContain("Exception");
    }

    @Test
    void send_withUsageErrors_exits2NamingThem() throws Exception {
        assertThat(edgefn("send", "--device", "d").err()).contains("Missing required parameter: 'BODY'");
        Result noToken = edgefn("send", "--gateway", "http://localhost:8443", "--device", "d", "x");
        assertThat(noToken.status()).isEqualTo(2);
        assertThat(noToken.err()).contains("--gateway needs --token T");
        Result both = edgefn("send", "--gateway", "http://localhost:8443", "--token", "t", "--data-dir", dir.toString(),
                "--device", "d", "x");
        assertThat(both.status()).isEqualTo(2);
        assertThat(both.err()).contains("either --data-dir or --gateway with --token, not both");
        Result notUrl = edgefn("send", "--gateway", "localhost:8443", "--token", "t", "--device", "d", "x");
        assertThat(notUrl.status()).isEqualTo(2);
        assertThat(notUrl.err()).contains("--gateway must be an http:// or https:// URL");
        assertThat(edgefn("send", "--data-dir", dir.toString(), "--device", "d", "@" + dir.resolve("missing.json")).err())
                .contains("no file " + dir.resolve("missing.json"));
    }

    /** Starts {@code edgefn run} on {@code data} with {@code deployment}; returns its management port. */
    private int startHost(Path data, String deployment) throws Exception {
        Files.createDirectories(dir.resolve("packages"));
        try (InputStream in = getClass().getResourceAsStream("/edgefn/demo/pump-functions.jar")) {
            Files.copy(in, dir.resolve("packages/pump-functions.jar"));
        }
        Path file = dir.resolve("deployment.json");
        Files.writeString(file, deployment);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                EdgefnCommand.class.getName(), "run", "--deployment", file.toString(),
                "--data-dir", data.toString(), "--http-port", "0", "--mqtt-port", "0"))
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        String readyLine = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(readyLine).as("stderr: %s", Files.readString(dir.resolve("stderr.txt"))).startsWith("{");
        return JSON.readTree(readyLine).path("httpPort").asInt();
    }

    record Result(int status, String out, String err) {
    }

    private static Result edgefn(String... args) {
        try (StdoutCapture capture = StdoutCapture.stdoutAndStderr()) {
            int status = EdgefnCommand.execute(args);
            return new Result(status, capture.out(), capture.err());
        }
    }

    private static Result edgefnWithStdin(String stdin, String... args) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return edgefn(args);
        } finally {
            System.setIn(original);
        }
    }
}
