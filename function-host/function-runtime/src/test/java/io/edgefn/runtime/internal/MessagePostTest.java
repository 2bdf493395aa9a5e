package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.deploy.Deployment;
import io.edgefn.runtime.Admission;
import io.edgefn.runtime.EdgeHost;
import io.edgefn.runtime.HostStats;
import io.edgefn.runtime.MessageOrigin;
import io.edgefn.runtime.internal.RawHttp.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code POST /messages} over real loopback sockets, into an ingress the test controls. */
class MessagePostTest {

    private static final String TOKEN = "k3yK3yk3yK3yk3yK3yk3yK3yk3yK3yk3yK3yk3yK3yA";

    @TempDir
    Path dir;

    /** Each message offered, with its origin. */
    private final List<Offered> offered = new CopyOnWriteArrayList<>();
    /** What the next offer's {@code taken} is; completed at once unless a test sets one. */
    private volatile CompletableFuture<Void> nextTaken;
    private ManagementApi api;
    private final HttpClient client = HttpClient.newHttpClient();

    record Offered(Message message, MessageOrigin origin) {
    }

    @BeforeEach
    void setUp() {
        Deployment empty = Deployment.parse("{\"routes\": {}}".getBytes(StandardCharsets.UTF_8), "empty", dir);
        Supplier<HostStats> stats = EdgeHost.builder().deployment(empty).dataDirectory(dir.resolve("data")).build()::stats;
        api = ManagementApi.start(0, stats, ManagementApi.Limits.DEFAULT, new ManagementApi.Messages(TOKEN, (message, origin) -> {
            offered.add(new Offered(message, origin));
            CompletableFuture<Void> taken = nextTaken != null ? nextTaken : CompletableFuture.completedFuture(null);
            return new Admission(taken, false, Runnable::run);
        }, InstantSource.system()));
    }

    @AfterEach
    void tearDown() {
        api.close();
        client.close();
    }

    @Test
    void post_withTheToken_routesTheMessageAsTheDevice_andAnswersWithItsId() throws Exception {
        HttpResponse<String> r = post("Bearer " + TOKEN, """
                {"deviceId": "sensor-1", "properties": {"alert": "true"}, "body": "{\\"temperature\\": 99}",
                 "contentType": "application/json", "contentEncoding": "utf-8"}""");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(offered).hasSize(1);
        Message m = offered.getFirst().message();
        assertThat(r.body()).isEqualTo("{\"messageId\":\"" + m.systemProperty(SystemProperties.MESSAGE_ID) + "\",\"taken\":true}");
        assertThat(m.systemProperty(SystemProperties.MESSAGE_ID)).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-.*");
        assertThat(m.bodyAsString()).isEqualTo("{\"temperature\": 99}");
        assertThat(m.properties()).containsExactly(java.util.Map.entry("alert", "true"));
        assertThat(m.systemProperty(SystemProperties.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(m.systemProperty(SystemProperties.CONTENT_ENCODING)).isEqualTo("utf-8");
        assertThat(offered.getFirst().origin()).isEqualTo(MessageOrigin.managementApi("sensor-1"));
        assertThat(offered.getFirst().origin().authMethod()).contains("\"type\":\"managementApi\"");
    }

    @Test
    void post_keepsTheSendersMessageId_andTakesABase64Body() throws Exception {
        byte[] bytes = {0, 1, (byte) 0xff};
        HttpResponse<String> r = post("bearer " + TOKEN, "{\"deviceId\": \"d\", \"messageId\": \"m-1\", \"bodyBase64\": \""
                + Base64.getEncoder().encodeToString(bytes) + "\"}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.body()).isEqualTo("{\"messageId\":\"m-1\",\"taken\":true}");
        assertThat(offered.getFirst().message().body()).containsExactly(bytes);
    }

    @Test
    void post_answersOnlyOnceEverySinkTookTheMessage() throws Exception {
        CompletableFuture<Void> taken = new CompletableFuture<>();
        nextTaken = taken;
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(request("Bearer " + TOKEN,
                "{\"deviceId\": \"d\", \"body\": \"x\"}"), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> offered.size() == 1);
        assertThat(answer).as("no answer before the sinks took it").isNotDone();

        taken.complete(null);
        assertThat(answer.get().statusCode()).isEqualTo(202);
    }

    @Test
    void post_whenASinkRefuses_is503WithItsReason() throws Exception {
        nextTaken = CompletableFuture.failedFuture(new IllegalStateException("the offline buffer is full (reject-new)"));

        HttpResponse<String> r = post("Bearer " + TOKEN, "{\"deviceId\": \"d\", \"body\": \"x\"}");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("{\"error\":\"the host refused the message: the offline buffer is full (reject-new)\"}\n")
                .doesNotContain("Exception");
    }

    @Test
    void post_withoutAToken_is401_andRoutesNothing() throws Exception {
        HttpResponse<String> r = post(null, "{\"deviceId\": \"d\", \"body\": \"x\"}");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"edgefn\"");
        assertThat(r.body()).contains("needs 'Authorization: Bearer <token>'").contains("management.token");
        assertThat(offered).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Bearer k3yK3yk3yK3yk3yK3yk3yK3yk3yK3yk3yK3yk3yK3yB",
            "Bearer k3yK3yk3yK3yk3yK3yk3yK3yk3yK3yk3yK3yk3yK3y",
            "Basic k3yK3yk3yK3yk3yK3yk3yK3yk3yK3yk3yK3yk3yK3yA",
            "Bearer"})
    void post_withAWrongToken_is401_andRoutesNothing(String authorization) throws Exception {
        HttpResponse<String> r = post(authorization, "{\"deviceId\": \"d\", \"body\": \"x\"}");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"edgefn\", error=\"invalid_token\"");
        assertThat(r.body()).contains("the bearer token is not this host's");
        assertThat(offered).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "not json                                    | the request is not JSON: Unrecognized token 'not'",
            "{\"deviceId\": \"d\"} trailing              | the request is not JSON",
            "[1, 2]                                      | the request must be a JSON object like {\"deviceId\": \"sensor-1\", \"body\": \"…\"}, was an array",
            "{\"body\": \"x\"}                           | deviceId is missing: name the device the message is from",
            "{\"deviceId\": 5, \"body\": 7}              | deviceId must be a string, was a number; body must be a string, was a number",
            "{\"deviceId\": \"bad id\"}                  | deviceId 'bad id' has ' ' at position 4",
            "{\"deviceId\": \"d\", \"bdy\": \"x\"}       | unknown field 'bdy' (known: deviceId, properties, body, bodyBase64",
            "{\"deviceId\": \"d\", \"properties\": {\"n\": 1}} | properties.n must be a string, was a number",
            "{\"deviceId\": \"d\", \"body\": \"x\", \"bodyBase64\": \"eA==\"} | either 'body' (text) or 'bodyBase64' (bytes), not both",
            "{\"deviceId\": \"d\", \"bodyBase64\": \"***\"} | bodyBase64 is not Base64"})
    void post_withAMalformedRequest_is400NamingTheProblem(String json, String problem) throws Exception {
        HttpResponse<String> r = post("Bearer " + TOKEN, json);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("error").asText())
                .contains(problem).doesNotContain("Exception");
        assertThat(offered).isEmpty();
    }

    @Test
    void post_withABodyOver256KB_is413() throws Exception {
        String body = "x".repeat(MessageRequest.MAX_BODY_BYTES + 1);

        HttpResponse<String> r = post("Bearer " + TOKEN, "{\"deviceId\": \"d\", \"body\": \"" + body + "\"}");

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("the body of 262144 bytes is over the limit of 262143 bytes (IoT Hub's 256 KB)");
        assertThat(offered).isEmpty();
    }

    @Test
    void post_expectingContinue_isToldToSendItsBody_andTaken() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(request("Bearer " + TOKEN, "{\"deviceId\": \"d\", \"body\": \"x\"}"),
                (name, value) -> true).expectContinue(true).build();

        assertThat(client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);
        assertThat(offered).hasSize(1);
    }

    @Test
    void post_ofABodyOfExactly256KB_isTaken() throws Exception {
        String body = "x".repeat(MessageRequest.MAX_BODY_BYTES);

        assertThat(post("Bearer " + TOKEN, "{\"deviceId\": \"d\", \"body\": \"" + body + "\"}").statusCode()).isEqualTo(202);
    }

    @Test
    void post_ofARequestOverTheRequestLimit_is413WithoutReadingIt() throws Exception {
        String body = "x".repeat(MessagePost.MAX_REQUEST_BYTES);
        // Expect: 100-continue, so that the client waits for the answer before sending what is refused.
        HttpRequest request = HttpRequest.newBuilder(request("Bearer " + TOKEN, "{\"deviceId\": \"d\", \"body\": \"" + body + "\"}"),
                (name, value) -> true).expectContinue(true).build();

        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("is over the limit of " + MessagePost.MAX_REQUEST_BYTES + " bytes");
        assertThat(offered).isEmpty();
    }

    @Test
    void post_withAnotherHost_isMisdirected_evenWithTheToken() throws IOException {
        Response r = RawHttp.request(api.port(), "POST", "/messages", "rebound.example.com:" + api.port());

        assertThat(r.status()).isEqualTo(421);
        assertThat(offered).isEmpty();
    }

    @Test
    void get_onMessages_isNotAllowed() throws IOException {
        Response r = RawHttp.request(api.port(), "GET", "/messages", RawHttp.host(api.port()));

        assertThat(r.status()).isEqualTo(405);
        assertThat(r.headers()).containsEntry("allow", "POST");
    }

    @Test
    void status_needsTheToken_health_doesNot() throws Exception {
        assertThat(RawHttp.request(api.port(), "GET", "/status", RawHttp.host(api.port())).status()).isEqualTo(401);
        assertThat(client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/status"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        assertThat(RawHttp.request(api.port(), "GET", "/health", RawHttp.host(api.port())).status()).isEqualTo(200);
    }

    private HttpResponse<String> post(String authorization, String json) throws Exception {
        return client.send(request(authorization, json), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String authorization, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/messages"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b.build();
    }
}
