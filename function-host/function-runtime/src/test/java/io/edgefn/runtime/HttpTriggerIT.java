package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.deploy.Deployment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Functions serve {@code @HttpTrigger} paths on a real host, asked with a real HTTP client: on the
 * management API's loopback port without a token (methods, path and query parameters, JSON in and
 * out, every status the host gives), and on the functions' own listener — on the machine's
 * non-loopback address when it has one — where only each function's own token opens its paths.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class HttpTriggerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private EdgeHost host;
    private String outside;

    @BeforeAll
    void start() throws Exception {
        Path jar = TestPackages.build(dir, "hmi", Map.of(
                "t.PumpMonitor", """
                        package t;
                        import io.edgefn.api.*;
                        import java.util.Map;
                        @EdgeFunction(value = "pump-monitor", maxConcurrency = 2, timeoutMillis = 300)
                        public class PumpMonitor {
                            public record State(String pumpId, String unit, double pressure) { }
                            public record Setpoint(int rpm) { }

                            @HttpTrigger("state/{pumpId}")
                            public State state(@PathParam("pumpId") String pumpId, HttpRequestData request) {
                                String unit = request.queryParam("unit");
                                return new State(pumpId, unit == null ? "bar" : unit, 2.5);
                            }

                            @HttpTrigger(value = "state/{pumpId}/setpoint", methods = {HttpTrigger.Method.PUT, HttpTrigger.Method.POST})
                            public HttpResult setpoint(@PathParam("pumpId") String pumpId, Setpoint setpoint) {
                                return HttpResult.of(201, Map.of("pumpId", pumpId, "rpm", setpoint.rpm()))
                                        .withHeader("location", "/fn/pump-monitor/state/" + pumpId);
                            }

                            @HttpTrigger(value = "reset", methods = HttpTrigger.Method.POST)
                            public void reset() { }

                            @HttpTrigger("explode")
                            public String explode() { throw new IllegalStateException("sensor bus down"); }

                            @HttpTrigger("nap")
                            public String nap() throws InterruptedException { Thread.sleep(30_000); return "woke"; }

                            @HttpTrigger("whoami")
                            public String whoami(HttpRequestData request) {
                                return "authorization=" + request.header("Authorization");
                            }
                        }""",
                "t.Other", """
                        package t;
                        import io.edgefn.api.*;
                        @EdgeFunction("other")
                        public class Other {
                            @HttpTrigger("ping")
                            public String ping() { return "pong"; }
                        }""",
                "t.Broken", """
                        package t;
                        import io.edgefn.api.*;
                        @EdgeFunction("broken")
                        public class Broken {
                            public Broken() { throw new IllegalStateException("cannot reach the PLC"); }
                            @HttpTrigger("state") public String state() { return "never"; }
                        }"""));
        String json = """
                {"packages": {"t": {"file": "%s"}}, "routes": {}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "hmi deployment", dir);
        InetAddress address = nonLoopbackAddress();
        outside = address == null ? "127.0.0.1" : address.getHostAddress();
        host = EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("data")).httpPort(0)
                .functionHttp(address == null ? "0.0.0.0" : outside, 0)
                .restartPolicy(new RestartPolicy(Duration.ofMillis(10), Duration.ofMillis(40), 1)).build().start();
    }

    /** The machine's first IPv4 address that is up and not loopback, or null. */
    private static InetAddress nonLoopbackAddress() throws Exception {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress a : nic.inetAddresses().toList()) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        return a;
                    }
                }
            }
        }
        return null;
    }

    @AfterAll
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    private HttpResponse<String> local(String method, String path, String body) throws Exception {
        return send(URI.create("http://127.0.0.1:" + host.httpPort() + path), method, body, null);
    }

    private HttpResponse<String> remote(String path, String token) throws Exception {
        return send(URI.create("http://" + outside + ":" + host.functionHttpPort() + path), "GET", null, token);
    }

    private HttpResponse<String> send(URI uri, String method, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("content-type", "application/json");
        }
        if (token != null) {
            b.header("authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void get_pathAndQueryParameters_answer200WithTheResultAsJson() throws Exception {
        HttpResponse<String> r = local("GET", "/fn/pump-monitor/state/p%201?unit=psi", null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).contains("application/json");
        assertThat(json(r)).isEqualTo(JSON.readTree("{\"pumpId\": \"p 1\", \"unit\": \"psi\", \"pressure\": 2.5}"));
    }

    @Test
    void put_jsonBody_bindsToARecord_andAnHttpResultGivesStatusAndHeaders() throws Exception {
        HttpResponse<String> r = local("PUT", "/fn/pump-monitor/state/p2/setpoint", "{\"rpm\": 1200}");

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("location")).contains("/fn/pump-monitor/state/p2");
        assertThat(json(r)).isEqualTo(JSON.readTree("{\"pumpId\": \"p2\", \"rpm\": 1200}"));
    }

    @Test
    void post_bodyThatIsNotJson_answers400WithTheReason() throws Exception {
        HttpResponse<String> r = local("POST", "/fn/pump-monitor/state/p2/setpoint", "{\"rpm\": ");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("message").asText())
                .startsWith("the request does not fit POST 'state/{pumpId}/setpoint': the body cannot be read as")
                .contains("Setpoint");
    }

    @Test
    void void_answers204() throws Exception {
        assertThat(local("POST", "/fn/pump-monitor/reset", null).statusCode()).isEqualTo(204);
    }

    @Test
    void unknownPathOrFunction_answers404_andAnotherMethod405WithAllow() throws Exception {
        assertThat(local("GET", "/fn/pump-monitor/nothing/here", null).statusCode()).isEqualTo(404);
        assertThat(local("GET", "/fn/nobody/state", null).statusCode()).isEqualTo(404);

        HttpResponse<String> r = local("DELETE", "/fn/pump-monitor/state/p1/setpoint", null);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("allow")).contains("POST, PUT");
    }

    @Test
    void aThrowingMethod_answers500WithErrorAndMessage_andTheFunctionKeepsServing() throws Exception {
        HttpResponse<String> r = local("GET", "/fn/pump-monitor/explode", null);

        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(json(r)).isEqualTo(JSON.readTree(
                "{\"error\": \"java.lang.IllegalStateException\", \"message\": \"sensor bus down\"}"));
        assertThat(local("GET", "/fn/pump-monitor/state/p1", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aMethodPastTheFunctionsTimeout_answers504() throws Exception {
        HttpResponse<String> r = local("GET", "/fn/pump-monitor/nap", null);

        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(json(r).get("error").asText()).isEqualTo("timeout");
    }

    @Test
    void aFunctionThatIsNotRunning_answers503() throws Exception {
        HttpResponse<String> r = local("GET", "/fn/broken/state", null);

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(json(r).get("message").asText()).contains("function broken is").contains("not running");
    }

    @Test
    void loopback_anotherHostName_isRefusedLikeTheManagementApi() throws Exception {
        // A raw request: java.net.http does not let a caller set Host, which is what DNS rebinding does.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", host.httpPort())) {
            socket.getOutputStream().write(("GET /fn/other/ping HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String status = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst()
                    .orElse("");
            assertThat(status).startsWith("HTTP/1.1 421");
        }
    }

    @Test
    void functionsListener_opensAFunctionsPathsOnlyWithItsOwnToken() throws Exception {
        String pumpToken = DataDirectory.functionToken(dir.resolve("data"), "pump-monitor");
        String otherToken = DataDirectory.functionToken(dir.resolve("data"), "other");
        String managementToken = Files.readString(dir.resolve("data").resolve(DataDirectory.MANAGEMENT_TOKEN_FILE)).trim();

        assertThat(remote("/fn/pump-monitor/state/p1", null).statusCode()).as("no token").isEqualTo(401);
        assertThat(remote("/fn/pump-monitor/state/p1", managementToken).statusCode()).as("management token").isEqualTo(401);
        assertThat(remote("/fn/pump-monitor/state/p1", otherToken).statusCode()).as("another function's").isEqualTo(401);
        assertThat(remote("/fn/nobody/state", pumpToken).statusCode()).as("unknown function").isEqualTo(401);
        HttpResponse<String> ok = remote("/fn/pump-monitor/state/p1", pumpToken);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).get("pumpId").asText()).isEqualTo("p1");
        assertThat(remote("/fn/other/ping", otherToken).body()).isEqualTo("pong");
        assertThat(remote("/fn/pump-monitor/whoami", pumpToken).body()).as("the token is not passed on")
                .isEqualTo("authorization=null");
        assertThat(remote("/status", pumpToken).statusCode()).as("no management API here").isEqualTo(404);
    }

    @Test
    void functionToken_doesNotOpenTheManagementApi_andItsFileIsOwnerOnly() throws Exception {
        String pumpToken = DataDirectory.functionToken(dir.resolve("data"), "pump-monitor");
        HttpResponse<String> r = send(URI.create("http://127.0.0.1:" + host.httpPort() + "/messages"), "POST",
                "{\"deviceId\": \"d1\", \"body\": {}}", pumpToken);

        assertThat(r.statusCode()).isEqualTo(401);
        Path file = DataDirectory.functionTokenFile(dir.resolve("data"), "pump-monitor");
        assertThat(Files.readString(file).trim()).isEqualTo(pumpToken);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void functionsListener_onANonLoopbackAddress_isNotReachableOnLoopback() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(outside.equals("127.0.0.1"), "this machine has no non-loopback address");

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> send(URI.create("http://127.0.0.1:"
                + host.functionHttpPort() + "/fn/other/ping"), "GET", null, DataDirectory.functionToken(dir.resolve("data"), "other"))))
                .isInstanceOf(java.net.ConnectException.class);
    }
}
