package io.edgefn.bindings.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.edgefn.api.HttpCall;
import io.edgefn.api.HttpCallException;
import io.edgefn.bindings.BindingException;
import io.edgefn.bindings.BodyCodec;
import io.edgefn.bindings.JsonSettings;
import io.edgefn.index.ParameterDescriptor;
import io.vertx.core.Vertx;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HttpCall}s on the Vert.x Web Client against WireMock, an HTTP endpoint we do not own:
 * success, 5xx then success, 5xx to the end, no retry of POST, a timeout, a body that is not
 * JSON, a body that dribbles past the timeout, a refused connection, and the base URL from a
 * setting.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class HttpCallsTest {

    record Pump(String id, int rpm) {
    }

    private final WireMockServer vendor = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private Vertx vertx;
    private HttpCalls calls;

    @BeforeAll
    void start() {
        vendor.start();
        vertx = Vertx.vertx();
        calls = new HttpCalls(vertx, new BodyCodec());
    }

    @AfterAll
    void stop() {
        calls.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        vendor.stop();
    }

    @BeforeEach
    void reset() {
        vendor.resetAll();
    }

    private HttpCall endpoint(int timeoutMillis, int maxAttempts) {
        return calls.endpoint(new ParameterDescriptor.HttpCall(vendor.baseUrl() + "/api", null, timeoutMillis, maxAttempts,
                10, false, null), JsonSettings.empty("test"));
    }

    @Test
    void get_success_readsTheJsonBodyAsARecordOrATree() {
        vendor.stubFor(get("/api/pumps/p1").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody("{\"id\": \"p1\", \"rpm\": 1200, \"extra\": true}")));

        HttpCall.Response response = endpoint(10_000, 1).get("pumps/p1");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.bodyAs(Pump.class)).isEqualTo(new Pump("p1", 1200));
        assertThat(response.bodyAs(JsonNode.class).get("extra").asBoolean()).isTrue();
    }

    @Test
    void post_sendsItsBodyAsJson() {
        vendor.stubFor(post("/api/pumps").willReturn(aResponse().withStatus(201).withBody("{\"id\": \"p2\", \"rpm\": 0}")));

        HttpCall.Response response = endpoint(10_000, 1).post("/pumps", new Pump("p2", 0));

        assertThat(response.status()).isEqualTo(201);
        vendor.verify(postRequestedFor(urlEqualTo("/api/pumps"))
                .withHeader("content-type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"id\": \"p2\", \"rpm\": 0}")));
    }

    @Test
    void get_5xxThenSuccess_isRetriedUntilItSucceeds() {
        vendor.stubFor(get("/api/state").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        vendor.stubFor(get("/api/state").inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(502)).willSetStateTo("third"));
        vendor.stubFor(get("/api/state").inScenario("flaky").whenScenarioStateIs("third")
                .willReturn(aResponse().withStatus(200).withBody("\"ok\"")));

        HttpCall.Response response = endpoint(10_000, 3).get("state");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyAsString()).isEqualTo("\"ok\"");
        vendor.verify(3, getRequestedFor(urlEqualTo("/api/state")));
    }

    @Test
    void get_5xxOnEveryAttempt_answersTheLast5xxAfterMaxAttempts() {
        vendor.stubFor(get("/api/state").willReturn(aResponse().withStatus(500).withBody("down")));

        HttpCall.Response response = endpoint(10_000, 3).get("state");

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.bodyAsString()).isEqualTo("down");
        vendor.verify(3, getRequestedFor(urlEqualTo("/api/state")));
    }

    @Test
    void post_5xx_isNotRetried_byDefault() {
        vendor.stubFor(post("/api/pumps").willReturn(aResponse().withStatus(503)));

        HttpCall.Response response = endpoint(10_000, 3).post("pumps", Map.of("id", "p3"));

        assertThat(response.status()).isEqualTo(503);
        vendor.verify(1, postRequestedFor(urlEqualTo("/api/pumps")));
    }

    @Test
    void get_slowerThanTheTimeout_failsAfterEveryAttemptTimedOut() {
        vendor.stubFor(get("/api/slow").willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));

        assertThatThrownBy(() -> endpoint(200, 2).get("slow"))
                .isInstanceOfSatisfying(HttpCallException.class, e -> assertThat(e.attempts()).isEqualTo(2))
                .hasMessageContaining("GET " + vendor.baseUrl() + "/api/slow got no answer after 2 attempts")
                .hasMessageContaining("no whole answer within 200 ms");
    }

    @Test
    void get_bodyDribblingPastTheTimeout_failsOnTheDeadline() {
        // Headers at once, then a byte now and then: an idle timeout alone would never fire.
        vendor.stubFor(get("/api/dribble").willReturn(aResponse().withStatus(200)
                .withBody("{\"id\": \"p1\", \"rpm\": 1200, \"pad\": \"xxxxxxxxxxxxxxxxxxxx\"}")
                .withChunkedDribbleDelay(20, 4_000)));

        long started = System.nanoTime();
        assertThatThrownBy(() -> endpoint(300, 1).get("dribble"))
                .isInstanceOf(HttpCallException.class)
                .hasMessageContaining("no whole answer within 300 ms");
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms until the call failed").isLessThan(3_000);
    }

    @Test
    void bodyAs_bodyThatIsNotJson_failsWithTheReason() {
        vendor.stubFor(get("/api/html").willReturn(aResponse().withStatus(200).withBody("<html>maintenance</html>")));

        HttpCall.Response response = endpoint(10_000, 1).get("html");

        assertThat(response.status()).isEqualTo(200);
        assertThatThrownBy(() -> response.bodyAs(Pump.class))
                .isInstanceOf(HttpCallException.class)
                .hasMessageContaining("the answer (status 200) is not JSON for " + Pump.class.getName())
                .hasMessageContaining("Unexpected character ('<'");
    }

    @Test
    void get_connectionRefused_isRetriedThenFails() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        HttpCall call = calls.endpoint(new ParameterDescriptor.HttpCall("http://127.0.0.1:" + closed, null, 1_000, 2, 10,
                false, null), JsonSettings.empty("test"));

        assertThatThrownBy(() -> call.get("x"))
                .isInstanceOfSatisfying(HttpCallException.class, e -> assertThat(e.attempts()).isEqualTo(2))
                .hasMessageContaining("got no answer after 2 attempts");
    }

    @Test
    void endpoint_baseUrlFromASetting_usesIt_andAMissingSettingIsNamed() {
        vendor.stubFor(get("/api/ping").willReturn(aResponse().withStatus(204)));
        var d = new ParameterDescriptor.HttpCall(null, "vendorUrl", 10_000, 1, 10, false, null);
        JsonSettings settings = JsonSettings.of("test",
                JsonNodeFactory.instance.objectNode().put("vendorUrl", vendor.baseUrl() + "/api/"), null);

        assertThat(calls.endpoint(d, settings).get("/ping").status()).isEqualTo(204);
        assertThatThrownBy(() -> calls.endpoint(d, JsonSettings.empty("test")))
                .isInstanceOf(BindingException.class)
                .hasMessageContaining("setting 'vendorUrl' (the base URL of an HTTP endpoint) is missing");
    }

    @Test
    void sendAsync_completesWithoutBlockingTheCaller() throws Exception {
        vendor.stubFor(get("/api/pumps/p1").willReturn(aResponse().withStatus(200).withBody("{\"id\": \"p1\", \"rpm\": 5}")));

        var stage = endpoint(10_000, 1).sendAsync("GET", "pumps/p1", Map.of("x-trace", "t1"), null);

        assertThat(stage.toCompletableFuture().get().bodyAs(Pump.class).rpm()).isEqualTo(5);
        vendor.verify(getRequestedFor(urlEqualTo("/api/pumps/p1")).withHeader("x-trace", equalTo("t1")));
    }

    @Test
    void https_trustsTheCaPemItsSettingNames_andRefusesAServerItDoesNotTrust() throws Exception {
        io.vertx.core.net.SelfSignedCertificate certificate = io.vertx.core.net.SelfSignedCertificate.create("localhost");
        io.vertx.core.http.HttpServer server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions()
                        .setSsl(true).setKeyCertOptions(certificate.keyCertOptions()))
                .requestHandler(request -> request.response().putHeader("content-type", "application/json")
                        .end("{\"id\": \"p1\", \"rpm\": 7}"))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        try {
            String base = "https://localhost:" + server.actualPort();
            var trusting = new ParameterDescriptor.HttpCall(base, null, 5_000, 1, 10, false, "vendorCa");
            JsonSettings settings = JsonSettings.of("test",
                    JsonNodeFactory.instance.objectNode().put("vendorCa", certificate.certificatePath()), null);

            assertThat(calls.endpoint(trusting, settings).get("pumps/p1").bodyAs(Pump.class)).isEqualTo(new Pump("p1", 7));
            HttpCall jvmTrust = calls.endpoint(new ParameterDescriptor.HttpCall(base, null, 5_000, 1, 10, false, null),
                    JsonSettings.empty("test"));
            assertThatThrownBy(() -> jvmTrust.get("pumps/p1")).isInstanceOf(HttpCallException.class)
                    .hasMessageContaining("got no answer after 1 attempt");
        } finally {
            server.close().toCompletionStage().toCompletableFuture().get();
            certificate.delete();
        }
    }

    @Test
    void get_bodyDribblingPastTheTimeout_closesItsConnection() throws Exception {
        // A server of our own, to see the connection close: WireMock does not say.
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        io.vertx.core.http.HttpServer server = vertx.createHttpServer()
                .connectionHandler(c -> c.closeHandler(v -> closed.countDown()))
                .requestHandler(r -> {
                    r.response().setChunked(true).write("{");
                    vertx.setPeriodic(100, id -> {
                        if (r.response().closed()) {
                            vertx.cancelTimer(id);
                        } else {
                            r.response().write(" ");
                        }
                    });
                }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        try {
            HttpCall call = calls.endpoint(new ParameterDescriptor.HttpCall("http://127.0.0.1:" + server.actualPort(), null,
                    400, 1, 0, false, null), JsonSettings.empty("test"));

            assertThatThrownBy(() -> call.get("x")).hasMessageContaining("no whole answer within 400 ms");
            assertThat(closed.await(5, java.util.concurrent.TimeUnit.SECONDS)).as("the connection was closed").isTrue();
        } finally {
            server.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
