package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgefn.deploy.Deployment;
import io.edgefn.runtime.EdgeHost;
import io.edgefn.runtime.HostStats;
import io.edgefn.runtime.internal.RawHttp.Response;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The management API over real loopback sockets: who it answers, how, and how long it holds a connection. */
class ManagementApiTest {

    private static final Duration LONG = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    private Supplier<HostStats> stats;
    private ManagementApi api;
    private final List<SocketChannel> channels = new ArrayList<>();

    @BeforeEach
    void setUp() {
        // A host that never starts: its stats are the empty ones, whatever HostStats holds.
        Deployment empty = Deployment.parse("{\"routes\": {}}".getBytes(StandardCharsets.UTF_8), "empty", dir);
        stats = EdgeHost.builder().deployment(empty).dataDirectory(dir.resolve("data")).build()::stats;
    }

    @AfterEach
    void tearDown() throws IOException {
        for (SocketChannel c : channels) {
            c.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void boundBeyondLoopback_answersAnyHost_butTheTokenGuardsStatus_andTheFunctionsPathsAreNotServed() throws IOException {
        api = ManagementApi.start(null, new ManagementApi.Listen("0.0.0.0", 0, null, null), stats, java.util.Map.of(),
                new ManagementApi.Messages("t0ken", (message, origin) -> null, java.time.InstantSource.system()),
                request -> request.response().end("function"));
        String host = "gateway.example:" + api.port();

        assertThat(RawHttp.request(api.port(), "GET", "/health", host).status()).isEqualTo(200);
        assertThat(RawHttp.request(api.port(), "GET", "/status", host).status()).isEqualTo(401);
        Response fn = RawHttp.request(api.port(), "GET", "/fn/pump/state", host);
        assertThat(fn.status()).isEqualTo(404);
        assertThat(fn.body()).contains("--function-http-bind");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:%d", "127.0.0.1:%d", "[::1]:%d", "LocalHost:%d"})
    void get_withAServedHost_answers(String host) throws IOException {
        api = ManagementApi.start(0, stats);
        Response r = RawHttp.request(api.port(), "GET", "/status", host.formatted(api.port()));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers()).containsEntry("content-type", "application/json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rebound.example.com:%d", "localhost:1", "127.0.0.1", "127.0.0.1:%d.evil.example"})
    void get_withAnotherHost_isMisdirected(String host) throws IOException {
        api = ManagementApi.start(0, stats);
        Response r = RawHttp.request(api.port(), "GET", "/status", host.formatted(api.port()));
        assertThat(r.status()).isEqualTo(421);
        assertThat(r.body()).contains("answers for localhost:" + api.port() + ", 127.0.0.1:" + api.port()
                + " and [::1]:" + api.port() + " only, not for Host '" + host.formatted(api.port()) + "'");
        assertThat(r.body()).doesNotContain("messagesByRoute");
    }

    @Test
    void get_withoutAHost_isMisdirected() throws IOException {
        api = ManagementApi.start(0, stats);
        Response r = RawHttp.request(api.port(), "GET", "/health", null);
        assertThat(r.status()).isEqualTo(421);
        assertThat(r.body()).contains("not for a request without a Host header");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST /status", "PUT /health", "DELETE /status", "HEAD /health"})
    void anotherMethod_onAKnownPath_isNotAllowed(String request) throws IOException {
        api = ManagementApi.start(0, stats);
        String[] methodAndPath = request.split(" ");
        Response r = RawHttp.request(api.port(), methodAndPath[0], methodAndPath[1], RawHttp.host(api.port()));
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.headers()).containsEntry("allow", "GET");
        if (!methodAndPath[0].equals("HEAD")) {
            assertThat(r.body()).isEqualTo(methodAndPath[1] + " answers GET only, not " + methodAndPath[0] + "\n");
        }
    }

    @Test
    void anyMethod_onAnUnknownPath_isNotFound() throws IOException {
        api = ManagementApi.start(0, stats);
        assertThat(RawHttp.request(api.port(), "POST", "/statuss", RawHttp.host(api.port())).status()).isEqualTo(404);
        assertThat(RawHttp.request(api.port(), "GET", "/statuss", RawHttp.host(api.port())).status()).isEqualTo(404);
    }

    @Test
    void idleConnections_beyondTheCap_closeTheLongestWaiting_andHealthStillAnswers() throws IOException {
        api = ManagementApi.start(0, stats);
        int opened = 300;
        for (int i = 0; i < opened; i++) {
            channels.add(RawHttp.idleConnection(api.port()));
        }
        int cap = ManagementApi.MAX_CONNECTIONS;
        await().atMost(Duration.ofSeconds(10))
                .until(() -> channels.stream().filter(RawHttp::closedByServer).count() >= opened - cap);
        assertThat(api.openConnections()).isLessThanOrEqualTo(cap);
        assertThat(RawHttp.closedByServer(channels.getFirst())).as("the longest waiting is closed").isTrue();
        assertThat(RawHttp.closedByServer(channels.getLast())).as("the newest is kept").isFalse();

        Response health = RawHttp.request(api.port(), "GET", "/health", RawHttp.host(api.port()));
        assertThat(health.body()).startsWith("{\"healthy\":");
        assertThat(api.openConnections()).isLessThanOrEqualTo(cap);
    }

    @Test
    void connectionThatSendsNothing_isClosedAfterTheIdleTimeout() throws IOException {
        api = ManagementApi.start(0, stats, new ManagementApi.Limits(8, Duration.ofMillis(300), LONG));
        SocketChannel idle = RawHttp.idleConnection(api.port());
        channels.add(idle);
        await().atMost(Duration.ofSeconds(10)).until(() -> RawHttp.closedByServer(idle));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.openConnections() == 0);
    }

    @Test
    void requestTrickledByteByByte_isClosedAfterTheRequestReadTimeout() throws IOException {
        api = ManagementApi.start(0, stats, new ManagementApi.Limits(8, LONG, Duration.ofMillis(500)));
        SocketChannel slow = RawHttp.idleConnection(api.port());
        channels.add(slow);
        byte[] head = ("GET /status HTTP/1.1\r\nHost: " + RawHttp.host(api.port()) + "\r\nX-Slow: ")
                .getBytes(StandardCharsets.ISO_8859_1);
        AtomicInteger sent = new AtomicInteger();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            // One byte every 20 ms, never ending the head: never idle, never a whole request.
            trickle.scheduleAtFixedRate(() -> {
                int i = sent.getAndIncrement();
                try {
                    slow.write(ByteBuffer.wrap(new byte[] {i < head.length ? head[i] : (byte) 'a'}));
                } catch (IOException closed) {
                    throw new IllegalStateException(closed); // ends the trickle
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> RawHttp.closedByServer(slow));
        } finally {
            trickle.shutdownNow();
        }
    }

    @Test
    void keptAliveConnection_afterAResponse_getsAFreshRequestReadTimeout() throws IOException {
        api = ManagementApi.start(0, stats, new ManagementApi.Limits(8, LONG, Duration.ofMillis(300)));
        SocketChannel keptAlive = RawHttp.idleConnection(api.port());
        channels.add(keptAlive);
        keptAlive.write(ByteBuffer.wrap(("GET /health HTTP/1.1\r\nHost: " + RawHttp.host(api.port()) + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> RawHttp.closedByServer(keptAlive));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.openConnections() == 0);
    }

    @Test
    void limits_checksEveryValueAtOnce() {
        assertThatThrownBy(() -> new ManagementApi.Limits(0, Duration.ZERO, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxConnections must be at least 1, was 0")
                .hasMessageContaining("idleTimeout must be at least 1 ms, was PT0S")
                .hasMessageContaining("requestReadTimeout must be at least 1 ms, was null");
    }
}
