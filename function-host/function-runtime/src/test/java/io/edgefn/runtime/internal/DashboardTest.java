package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.deploy.Deployment;
import io.edgefn.runtime.EdgeHost;
import io.edgefn.runtime.HostStats;
import io.edgefn.testing.ManualClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's login and event stream over real HTTP, with a manual clock for the expiries. */
class DashboardTest {

    private static final String TOKEN = "t0ken";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final HttpClient http = HttpClient.newHttpClient();
    private ManagementApi api;

    @BeforeEach
    void setUp() {
        Deployment empty = Deployment.parse("{\"routes\": {}}".getBytes(StandardCharsets.UTF_8), "empty", dir);
        Supplier<HostStats> stats = EdgeHost.builder().deployment(empty).dataDirectory(dir.resolve("data")).build()::stats;
        api = ManagementApi.start(null, 0, stats, Map.of("routes", () -> List.of(Map.of("name", "r", "source", "/messages/",
                "sink", "$upstream"))), new ManagementApi.Messages(TOKEN, (message, origin) -> null, clock));
    }

    @AfterEach
    void tearDown() {
        api.close();
        http.close();
    }

    @Test
    void dashboard_withoutASession_is401_andTheEventsToo() throws Exception {
        HttpResponse<String> page = get("/dashboard", null);
        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.body()).contains("edgefn dashboard");
        assertThat(get("/dashboard/events", null).statusCode()).isEqualTo(401);
        assertThat(get("/dashboard", Dashboard.COOKIE + "=made-up").statusCode()).isEqualTo(401);
        assertThat(get("/dashboard/app.js", null).body()).contains("EventSource");
    }

    @Test
    void loginCodes_needTheToken_andThePost() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri("/dashboard/login-codes")).POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(uri("/dashboard/login-codes")).header("Authorization", "Bearer nope")
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(401);
        HttpResponse<String> get = get("/dashboard/login-codes", null);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("allow")).hasValue("POST");
    }

    @Test
    void loginCode_tradesOnceForAStrictHttpOnlyCookie() throws Exception {
        String path = newLoginPath();
        HttpResponse<String> login = get(path, null);
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("location")).hasValue("/dashboard");
        String cookie = login.headers().firstValue("set-cookie").orElseThrow();
        assertThat(cookie).startsWith(Dashboard.COOKIE + "=").contains("HttpOnly", "SameSite=Strict", "Path=/dashboard")
                .doesNotContain("Secure");
        String session = cookie.substring(0, cookie.indexOf(';'));

        HttpResponse<String> page = get("/dashboard", session);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/dashboard/app.js");
        assertThat(page.headers().firstValue("content-security-policy").orElseThrow()).contains("default-src 'none'");

        HttpResponse<String> again = get(path, null);
        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(again.body()).contains("already used or has expired");
        assertThat(get("/dashboard/login", null).body()).contains("has no <code>code</code>");
        assertThat(get("/status", session).statusCode()).as("the cookie opens the dashboard only").isEqualTo(401);
    }

    @Test
    void loginCode_expiresAfterAMinute_andASessionAfterItsLifetime() throws Exception {
        String late = newLoginPath();
        clock.advance(Dashboard.CODE_LIFETIME);
        assertThat(get(late, null).statusCode()).isEqualTo(401);

        String session = login();
        clock.advance(Dashboard.SESSION_LIFETIME.minusSeconds(1));
        assertThat(get("/dashboard", session).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        assertThat(get("/dashboard", session).statusCode()).isEqualTo(401);
    }

    @Test
    void events_streamTheStatusAsJson_onceASecond() throws Exception {
        String session = login();
        HttpResponse<Stream<String>> events = http.send(HttpRequest.newBuilder(uri("/dashboard/events"))
                .header("Cookie", session).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        try (Stream<String> lines = events.body()) {
            Iterator<String> it = lines.filter(l -> l.startsWith("data: ")).iterator();
            JsonNode first = JSON.readTree(it.next().substring(6));
            assertThat(first.has("functions")).isTrue();
            assertThat(first.path("routes").get(0).path("sink").asText()).isEqualTo("$upstream");
            JsonNode second = JSON.readTree(it.next().substring(6)); // the periodic one
            assertThat(second.has("messagesByRoute")).isTrue();
        }
    }

    @Test
    void events_beyondTheLimit_closeTheOldestStream() throws Exception {
        String session = login();
        List<Iterator<String>> streams = new java.util.ArrayList<>();
        List<Stream<String>> bodies = new java.util.ArrayList<>();
        try {
            for (int i = 0; i <= Dashboard.MAX_STREAMS; i++) {
                Stream<String> body = http.send(HttpRequest.newBuilder(uri("/dashboard/events")).header("Cookie", session).build(),
                        HttpResponse.BodyHandlers.ofLines()).body();
                bodies.add(body);
                Iterator<String> it = body.iterator();
                assertThat(it.next()).startsWith("data: {");
                streams.add(it);
            }
            Iterator<String> oldest = streams.getFirst();
            while (oldest.hasNext()) {
                assertThat(oldest.next()).satisfiesAnyOf(l -> assertThat(l).isEmpty(), l -> assertThat(l).startsWith("data: "));
            }
            assertThat(streams.getLast().next()).as("the newest stream goes on").isEmpty();
        } finally {
            bodies.forEach(Stream::close);
        }
    }

    private String login() throws Exception {
        HttpResponse<String> login = get(newLoginPath(), null);
        String cookie = login.headers().firstValue("set-cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private String newLoginPath() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/dashboard/login-codes"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("expiresInSeconds").asInt()).isEqualTo(60);
        return body.path("path").asText();
    }

    private HttpResponse<String> get(String path, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return send(b);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + api.port() + path);
    }
}
