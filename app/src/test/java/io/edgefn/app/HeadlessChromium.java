package io.edgefn.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A real headless Chromium driven through chromedriver's W3C WebDriver HTTP protocol (Debian's
 * {@code chromium} and {@code chromium-driver}, which {@code scripts/test} installs): navigate,
 * run a script in the page, take a screenshot. Spoken to directly with {@link HttpClient}: four
 * endpoints do not need a client library. One test's thread.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process driver;
    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String session;

    private HeadlessChromium(Process driver, URI base, String session) {
        this.driver = driver;
        this.base = base;
        this.session = session;
    }

    /** Whether this machine has both. */
    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Starts chromedriver and a browser with a fresh profile under {@code profile}, {@code width}×{@code height}. */
    static HeadlessChromium start(Path profile, int width, int height) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port)
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling("chromedriver.log").toFile()).start();
        URI base = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newHttpClient();
        try {
            org.awaitility.Awaitility.await("chromedriver answers").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> http.send(HttpRequest.newBuilder(base.resolve("/status")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            ObjectNode caps = JSON.createObjectNode();
            ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
            always.put("browserName", "chrome");
            ObjectNode options = always.putObject("goog:chromeOptions");
            options.put("binary", CHROMIUM.toString());
            // Without the background-networking flags a closed network refuses Chromium's own connections.
            List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=" + width + "," + height,
                            "--user-data-dir=" + profile)
                    .forEach(options.withArray("args")::add);
            JsonNode created = post(http, base.resolve("/session"), caps);
            String session = created.path("value").path("sessionId").asText(null);
            if (session == null) {
                throw new IllegalStateException("chromedriver made no session: " + created);
            }
            return new HeadlessChromium(driver, base, session);
        } catch (Exception | Error e) {
            driver.destroyForcibly();
            throw e;
        }
    }

    /** Navigates to {@code url} and waits for the page to load. */
    void open(String url) throws IOException, InterruptedException {
        command("/url", JSON.createObjectNode().put("url", url));
    }

    /** Runs {@code script} (a function body, {@code return …}) in the page; its result as JSON. */
    JsonNode script(String script) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("script", script);
        body.putArray("args");
        return command("/execute/sync", body);
    }

    /** A PNG of the viewport. */
    byte[] screenshot() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/session/" + session + "/screenshot")).build(),
                HttpResponse.BodyHandlers.ofString());
        return Base64.getDecoder().decode(JSON.readTree(r.body()).path("value").asText());
    }

    private JsonNode command(String path, ObjectNode body) throws IOException, InterruptedException {
        JsonNode answer = post(http, base.resolve("/session/" + session + path), body);
        JsonNode value = answer.path("value");
        if (value.isObject() && value.has("error")) {
            throw new IllegalStateException("WebDriver " + path + " failed: " + value.path("error").asText() + ": "
                    + value.path("message").asText());
        }
        return value;
    }

    private static JsonNode post(HttpClient http, URI uri, JsonNode body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    @Override
    public void close() {
        try {
            http.send(HttpRequest.newBuilder(base.resolve("/session/" + session)).DELETE().timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            // The driver goes below anyway, taking its browser with it.
        } finally {
            driver.destroy();
            try {
                if (!driver.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    driver.destroyForcibly();
                }
            } catch (InterruptedException e) {
                driver.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            http.close();
        }
    }
}
