package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefn.app.cli.EdgefnCommand;
import io.edgefn.deploy.Deployment;
import io.edgefn.devices.sim.PtyPair;
import io.edgefn.devices.sim.PumpRig;
import io.edgefn.runtime.EdgeHost;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live dashboard in a real headless Chromium: the demo's functions in a host, a simulated pump
 * MCU over a socat pty, a login link from {@code edgefn dashboard}, and the page's counts moving
 * while telemetry flows. With {@code EDGEFN_DASHBOARD_SCREENSHOT=FILE} in the environment it also
 * writes its screenshot there ({@code scripts/dashboard-screenshot} makes the README's from it).
 */
class DashboardIT {

    private static final int WIDTH = 1280;
    private static final int HEIGHT = 1100;

    @TempDir
    Path dir;

    private final ScheduledExecutorService mcuTimers = Executors.newSingleThreadScheduledExecutor();
    private PumpRig rig;
    private EdgeHost host;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
        if (rig != null) {
            rig.close();
        }
        mcuTimers.shutdownNow();
    }

    @Test
    void loginLink_opensALiveDashboard_whoseCountsMove_andWorksOnce() throws Exception {
        assertThat(HeadlessChromium.available()).as("chromium and chromium-driver are installed by scripts/test").isTrue();
        assertThat(PtyPair.available()).as("socat is installed by scripts/test").isTrue();
        startDemoHost();

        String link = loginLink();
        assertThat(link).matches("http://127\\.0\\.0\\.1:\\d+/dashboard/login\\?code=[A-Za-z0-9_-]{20,}");
        String base = link.substring(0, link.indexOf("/dashboard/"));

        Path profile = dir.resolve("chromium-profile");
        Files.createDirectories(profile);
        try (HeadlessChromium chromium = HeadlessChromium.start(profile, WIDTH, HEIGHT)) {
            chromium.open(link);
            assertThat(chromium.script("return location.pathname").asText()).isEqualTo("/dashboard");
            await("the page shows the demo's functions and its device").atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                        JsonNode names = chromium.script(
                                "return [...document.querySelectorAll('#functions tr[data-function]')].map(r => r.dataset.function)");
                        assertThat(names.toString()).contains("pump-analytics", "anomaly-detector", "pump-shutdown");
                        assertThat(chromium.script("return document.querySelector('#devices [data-device]')?.dataset.device")
                                .asText()).isEqualTo("pump-01");
                        assertThat(routeCount(chromium, "readings")).isPositive();
                    });

                        long invocations = invocations(chromium, "pump-analytics");
            long readings = routeCount(chromium, "readings");
            await("the counts move while telemetry flows").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                        assertThat(invocations(chromium, "pump-analytics")).isGreaterThan(invocations);
                        assertThat(routeCount(chromium, "readings")).isGreaterThan(readings);
                    });
            assertThat(chromium.script("return document.querySelectorAll('#routes svg [data-route]').length").asInt())
                    .as("one node per route of the demo").isEqualTo(9);
            await("the sparkline has points").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> chromium.script("return document.querySelectorAll('#buffer polyline').length").asInt() == 1);

            String screenshotTo = System.getenv("EDGEFN_DASHBOARD_SCREENSHOT");
            boolean forReadme = screenshotTo != null && !screenshotTo.isBlank();
            if (forReadme) {
                // The README's picture: enough snapshots for the sparkline to have a shape.
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                        .until(() -> chromium.script("return Number(document.body.dataset.snapshots || 0)").asInt() >= 20);
            }
            byte[] png = chromium.screenshot();
            if (forReadme) {
                Files.write(Path.of(screenshotTo), png);
            }
            JsonNode table = chromium.script(
                    "const r = document.querySelector('#functions-section').getBoundingClientRect();"
                            + " return {x: r.x, y: r.y, w: r.width, h: r.height, dpr: window.devicePixelRatio}");
            assertPainted(png, table);

            // The link was spent on the way in: a second visit is refused, in the browser and to a plain client.
            chromium.open(link);
            assertThat(chromium.script("return document.getElementById('notice')?.textContent").asText())
                    .isEqualTo("Login link refused");
            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(link)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(again.statusCode()).isEqualTo(401);
                assertThat(again.body()).contains("already used or has expired");
                HttpResponse<String> noCookie = http.send(HttpRequest.newBuilder(URI.create(base + "/dashboard")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(noCookie.statusCode()).isEqualTo(401);
                assertThat(noCookie.body()).contains("edgefn dashboard");
            }
        }
    }

    /** The function table's region of the screenshot is not blank: many colours, and ink on much of it. */
    private static void assertPainted(byte[] png, JsonNode rect) throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).as("the screenshot is a PNG").isNotNull();
        double scale = rect.path("dpr").asDouble(1);
        int x0 = (int) (rect.path("x").asDouble() * scale);
        int y0 = (int) (rect.path("y").asDouble() * scale);
        int x1 = Math.min(image.getWidth(), x0 + (int) (rect.path("w").asDouble() * scale));
        int y1 = Math.min(image.getHeight(), y0 + (int) (rect.path("h").asDouble() * scale));
        assertThat(x1 - x0).as("the function table is on screen").isGreaterThan(200);
        assertThat(y1 - y0).isGreaterThan(60);
        int background = image.getRGB(x0 + 2, y0 + 2) & 0xFFFFFF;
        Set<Integer> colours = new HashSet<>();
        long ink = 0;
        long pixels = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                colours.add(rgb);
                pixels++;
                if (rgb != background) {
                    ink++;
                }
            }
        }
        assertThat(colours.size()).as("distinct colours in the function table (text, state pills)").isGreaterThan(20);
        assertThat(ink * 100 / pixels).as("percent of the function table's pixels not its background").isGreaterThanOrEqualTo(2);
    }

    private static long invocations(HeadlessChromium chromium, String function) throws Exception {
        return chromium.script("return Number(document.querySelector('#functions tr[data-function=\"" + function
                + "\"] .invocations')?.textContent ?? -1)").asLong();
    }

    private static long routeCount(HeadlessChromium chromium, String route) throws Exception {
        return chromium.script("return Number(document.querySelector('#routes [data-route=\"" + route
                + "\"] .route-count')?.textContent ?? -1)").asLong();
    }

    /** {@code edgefn dashboard --data-dir DIR}, as a user runs it: the link it prints. */
    private String loginLink() {
        StdoutCapture out = StdoutCapture.stdout();
        int status;
        try {
            status = EdgefnCommand.execute("dashboard", "--data-dir", dir.toString());
        } finally {
            out.close();
        }
        assertThat(status).as("edgefn dashboard's exit status; stdout: %s", out.out()).isZero();
        return out.lastLine().trim();
    }

    /** The demo's deployment in a host with its management API on a free port, the pump MCU simulated over a pty. */
    private void startDemoHost() throws Exception {
        Path jar = dir.resolve("packages/pump-functions.jar");
        Files.createDirectories(jar.getParent());
        try (InputStream in = getClass().getResourceAsStream("/edgefn/demo/pump-functions.jar")) {
            assertThat(in).as("the runtime embeds the example package").isNotNull();
            Files.copy(in, jar);
        }
        // No fault develops within the test: telemetry keeps flowing.
        rig = PumpRig.start(dir.resolve("tty"), "pump-01", b -> b.telemetryHz(20)
                .developingFaultAfter(Duration.ofHours(1)).scheduler(mcuTimers));
        String json;
        try (InputStream in = getClass().getResourceAsStream("/edgefn/demo/deployment.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${PORT}", rig.port().replace("\\", "\\\\").replace("\"", "\\\""));
        }
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "demo deployment", dir);
        host = EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("host")).gatewayId("dashboard-gateway")
                .transports(rig.transports()).httpPort(0).build().start();
    }
}
