package io.edgefn.deploy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code url} packages fetched from WireMock, an HTTP server we do not own: every way a package
 * repository can fail, each named in the error with the package and the URL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class PackageFetcherTest {

    private static final byte[] JAR = "pretend jar bytes, hashed but never opened here".getBytes(StandardCharsets.UTF_8);
    private static final String SHA = sha256(JAR);
    /** A small size limit and few redirects; timeouts long enough for a cold server on a busy machine. */
    private static final PackageFetcher FETCHER = PackageFetcher.create(
            new PackageFetcher.Options(Duration.ofSeconds(5), Duration.ofSeconds(5), 1000, 2));
    /** A short timeout, so that the timeout tests take a second each. */
    private static final PackageFetcher IMPATIENT = PackageFetcher.create(
            new PackageFetcher.Options(Duration.ofSeconds(5), Duration.ofSeconds(1), 1000, 2));

    private WireMockServer server;

    @TempDir
    Path dir;

    private PackageStore store;

    @BeforeAll
    void startServer() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
    }

    @AfterAll
    void stopServer() {
        server.stop();
    }

    @BeforeEach
    void reset() {
        server.resetAll();
        store = PackageStore.open(dir.resolve("packages"));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private String url(String path) {
        return server.baseUrl() + path;
    }

    private static PackageRef ref(String url, String sha) {
        return new PackageRef("pump", null, url, sha, JsonNodeFactory.instance.objectNode());
    }

    @Test
    void fetch_ok_storesTheJarUnderItsHash() throws IOException {
        server.stubFor(get("/pkgs/pump.jar").willReturn(aResponse().withStatus(200).withBody(JAR)));

        Path jar = FETCHER.fetch(ref(url("/pkgs/pump.jar"), SHA), dir, store);

        assertThat(jar).isEqualTo(store.path(SHA));
        assertThat(Files.readAllBytes(jar)).isEqualTo(JAR);
        try (var files = Files.list(store.directory())) {
            assertThat(files).containsExactly(jar);
        }
    }

    @Test
    void fetch_alreadyInTheStore_needsNoNetwork() throws IOException {
        store.put(Files.write(dir.resolve("pump.jar"), JAR));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Path jar = FETCHER.fetch(ref("http://127.0.0.1:" + closedPort + "/pump.jar", SHA), dir, store);

        assertThat(jar).isEqualTo(store.path(SHA));
        server.verify(0, getRequestedFor(urlEqualTo("/pump.jar")));
    }

    @Test
    void fetch_notFound_namesPackageUrlAndStatus() {
        server.stubFor(get("/pump.jar").willReturn(aResponse().withStatus(404)));

        assertThatThrownBy(() -> FETCHER.fetch(ref(url("/pump.jar"), SHA), dir, store))
                .isInstanceOf(PackageException.class)
                .hasMessage("cannot fetch package pump from " + url("/pump.jar")
                        + ": the server answered 404 (Not Found): there is no package at that URL");
        assertThat(store.path(SHA)).doesNotExist();
    }

    @Test
    void fetch_serverError_namesTheStatus_andLeavesNothing() throws IOException {
        server.stubFor(get("/pump.jar").willReturn(aResponse().withStatus(503).withBody("busy")));

        assertThatThrownBy(() -> FETCHER.fetch(ref(url("/pump.jar"), SHA), dir, store))
                .hasMessage("cannot fetch package pump from " + url("/pump.jar")
                        + ": the server answered 503 (Service Unavailable)");
        try (var files = Files.list(store.directory())) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void fetch_noResponseInTime_isATimeout() {
        server.stubFor(get("/slow.jar").willReturn(aResponse().withStatus(200).withBody(JAR).withFixedDelay(4000)));

        assertThatThrownBy(() -> IMPATIENT.fetch(ref(url("/slow.jar"), SHA), dir, store))
                .hasMessage("cannot fetch package pump from " + url("/slow.jar") + ": no response within the timeout");
    }

    @Test
    void fetch_bodyStalls_isATimeoutAfterTheBytesSoFar() throws Exception {
        // WireMock sends nothing before its first dribbled chunk, so a socket of the test's own
        // answers with headers and ten bytes of a hundred, then stays silent until the test ends.
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        try (ServerSocket listener = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (java.net.Socket socket = listener.accept()) {
                    java.io.BufferedReader in = new java.io.BufferedReader(
                            new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        // the request's headers
                    }
                    socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789")
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    done.await();
                } catch (IOException | InterruptedException e) {
                    // the test is over
                }
            });
            String url = "http://127.0.0.1:" + listener.getLocalPort() + "/stall.jar";

            assertThatThrownBy(() -> IMPATIENT.fetch(ref(url, SHA), dir, store))
                    .hasMessage("cannot fetch package pump from " + url + ": no data for 1 s after 10 bytes");
        } finally {
            done.countDown();
        }
        try (var files = Files.list(store.directory())) {
            assertThat(files).as("the partial download is removed").isEmpty();
        }
    }

    @Test
    void fetch_wrongHash_isRefusedNamingBothHashes_andNotStored() {
        server.stubFor(get("/pump.jar").willReturn(aResponse().withStatus(200).withBody(JAR)));
        String declared = "0".repeat(64);

        assertThatThrownBy(() -> FETCHER.fetch(ref(url("/pump.jar"), declared), dir, store))
                .hasMessage("cannot fetch package pump from " + url("/pump.jar") + ": what the server sent is not the"
                        + " package the deployment names (it has SHA-256 " + SHA + ", expected " + declared + ")");
        assertThat(store.path(declared)).doesNotExist();
        assertThat(store.path(SHA)).doesNotExist();
    }

    @Test
    void fetch_contentLengthOverTheLimit_isRefusedBeforeTheBody() {
        server.stubFor(get("/big.jar").willReturn(aResponse().withStatus(200).withBody(new byte[2000])
                .withHeader("Content-Length", "2000")));

        assertThatThrownBy(() -> FETCHER.fetch(ref(url("/big.jar"), SHA), dir, store))
                .hasMessage("cannot fetch package pump from " + url("/big.jar")
                        + ": it is 2000 bytes (Content-Length), more than the package limit of 1000 bytes");
    }

    @Test
    void fetch_chunkedBodyOverTheLimit_isCutOffWhileItComes() throws IOException {
        server.stubFor(get("/big.jar").willReturn(aResponse().withStatus(200).withBody(new byte[5000])
                .withChunkedDribbleDelay(5, 50)));

        assertThatThrownBy(() -> FETCHER.fetch(ref(url("/big.jar"), SHA), dir, store))
                .hasMessage("cannot fetch package pump from " + url("/big.jar")
                        + ": it is larger than the package limit of 1000 bytes");
        try (var files = Files.list(store.directory())) {
            assertThat(files).as("the partial download is removed").isEmpty();
        }
    }

    @Test
    void fetch_redirect_isFollowed_andTooManyAreRefused() {
        server.stubFor(get("/latest.jar").willReturn(aResponse().withStatus(302).withHeader("Location", "/v2/pump.jar")));
        server.stubFor(get("/v2/pump.jar").willReturn(aResponse().withStatus(200).withBody(JAR)));
        server.stubFor(get("/loop.jar").willReturn(aResponse().withStatus(301).withHeader("Location", "/loop.jar")));

        assertThat(FETCHER.fetch(ref(url("/latest.jar"), SHA), dir, store)).isEqualTo(store.path(SHA));
        assertThatThrownBy(() -> FETCHER.fetch(ref(url("/loop.jar"), "1".repeat(64)), dir, store))
                .hasMessage("cannot fetch package pump from " + url("/loop.jar") + " (redirected to " + url("/loop.jar")
                        + "): more than 2 redirects");
    }

    @Test
    void fetch_nothingListening_saysItCannotConnect() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/pump.jar";

        assertThatThrownBy(() -> FETCHER.fetch(ref(url, SHA), dir, store))
                .hasMessageStartingWith("cannot fetch package pump from " + url + ": cannot connect");
    }

    @Test
    void fetch_urlWithAPassword_neverShowsThePassword() {
        String url = server.baseUrl().replace("http://", "http://deploy:s3cret@") + "/pump.jar";

        assertThatThrownBy(() -> FETCHER.fetch(ref(url, SHA), dir, store))
                .isInstanceOf(PackageException.class)
                .hasMessageStartingWith("cannot fetch package pump from http://…@" + server.baseUrl().substring(7)
                        + "/pump.jar: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    }

    @Test
    void fetch_caFileMissing_namesIt() {
        PackageRef withCa = new PackageRef("pump", null, "https://packages.example/pump.jar", SHA,
                JsonNodeFactory.instance.objectNode(), "certs/repo-ca.pem");

        assertThatThrownBy(() -> FETCHER.fetch(withCa, dir, store))
                .hasMessage("cannot fetch package pump from https://packages.example/pump.jar: cannot read its 'ca' file"
                        + " certs/repo-ca.pem: there is no such file");
    }

    @Test
    void options_badValues_areAllNamedAtOnce() {
        assertThatThrownBy(() -> new PackageFetcher.Options(Duration.ZERO, Duration.ofSeconds(-1), 0, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("package fetcher options: connectTimeout must be positive, not PT0S; timeout must be positive,"
                        + " not PT-1S; maxBytes must be 1 to 268435456, not 0; maxRedirects must be 0 or more, not -1");
    }
}
