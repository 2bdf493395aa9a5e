package io.edgefn.app.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.deploy.Deployment;
import io.edgefn.devices.TransportFactory;
import io.edgefn.devices.sim.PumpRig;
import io.edgefn.runtime.EdgeHost;
import io.edgefn.runtime.HostStats;
import io.edgefn.runtime.FunctionStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The flagship scenario end to end: a pump MCU (simulated, unless a real one is on {@code --port})
 * sends readings over the Sphere link at 20 Hz; after a while a fault develops; the example
 * functions — analytics, anomaly detection, shutdown — run in the host, connected by routes, and
 * stop the pump through its MCU. The story is printed as it happens, then a summary.
 *
 * <p>The MCU link is, in order of preference: the port given ({@code --port}), a pty pair made by
 * socat (the real serial path through jSerialComm), or an in-memory line when socat is missing —
 * the last two set up by a {@link PumpRig}.
 */
public final class DemoScenario {

    /** What the demo was asked to do. */
    public record Options(Duration duration, boolean json, String port, Path dataDir, boolean verbose, boolean js) {
        /** A demo of the Java functions only. */
        public Options(Duration duration, boolean json, String port, Path dataDir, boolean verbose) {
            this(duration, json, port, dataDir, verbose, false);
        }
    }

    /** The function the JavaScript package replaces in the Java one (--js). */
    private static final String JS_FUNCTION = "anomaly-detector";

    private static final String DEVICE_ID = "pump-01";

    private final Options options;
    private final PrintStream out;

    /** A demo with {@code options}, printing to {@code out}. */
    public DemoScenario(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the demo; returns the summary as JSON (also printed). */
    public ObjectNode run() throws IOException, InterruptedException {
        Path dataDir = options.dataDir() != null ? options.dataDir() : Files.createTempDirectory("edgefn-demo-");
        Path packageJar = dataDir.resolve("packages/pump-functions.jar");
        Files.createDirectories(packageJar.getParent());
        try (InputStream in = DemoScenario.class.getResourceAsStream("/edgefn/demo/pump-functions.jar")) {
            if (in == null) {
                throw new IOException("this runtime jar was built without the demo's function package "
                        + "(edgefn/demo/pump-functions.jar); rebuild with ./edgefn");
            }
            Files.copy(in, packageJar, StandardCopyOption.REPLACE_EXISTING);
        }
        if (options.js()) {
            DemoJsPackages.replaceWithJs(packageJar, dataDir.resolve("packages/pump-js.jar"), JS_FUNCTION);
        }
        Map<String, String> runtimes = DemoJsPackages.runtimes(packageJar.getParent());
        ch.qos.logback.classic.Logger hostLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.edgefn");
        ch.qos.logback.classic.Level previousLevel = hostLog.getLevel();
        if (!options.verbose()) {
            // The story tells what happens; the host's own INFO lines would drown it.
            hostLog.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        DemoStory story = new DemoStory(out);
        ScheduledExecutorService mcuTimers = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "demo-mcu");
            t.setDaemon(true);
            return t;
        });
        PumpRig rig = null;
        EdgeHost host = null;
        String link;
        try {
            String port;
            TransportFactory transports;
            Duration faultAfter = Duration.ofMillis((long) (options.duration().toMillis() * 0.4));
            if (options.port() != null) {
                port = options.port();
                transports = TransportFactory.serial();
                link = "serial port " + port + " (external MCU)";
            } else {
                rig = PumpRig.start(dataDir.resolve("tty"), DEVICE_ID, b -> b.telemetryHz(20)
                        .developingFaultAfter(faultAfter).faultRisePerSecond(3.0).scheduler(mcuTimers));
                port = rig.port();
                transports = rig.transports();
                link = rig.link();
            }
            double seconds = options.duration().toMillis() / 1000.0;
            story.say("edgefn demo: a downhole pump, %.0f s; MCU link: %s", seconds, link);
            if (rig != null) {
                story.say("pump MCU simulator booted: 20 readings/s; a fault will start developing after %.1f s",
                        faultAfter.toMillis() / 1000.0);
            }
            Deployment deployment = demoDeployment(port, dataDir, options.js());
            host = EdgeHost.builder()
                    .deployment(deployment)
                    .dataDirectory(dataDir.resolve("host"))
                    .gatewayId("demo-gateway")
                    .listener(story)
                    .transports(transports)
                    .build()
                    .start();
            story.say("host started: functions %s; %d routes", host.stats().functions().keySet(),
                    host.routes().routes().size());
            Thread.sleep(options.duration().toMillis());
            HostStats stats = host.stats();
            host.close();
            host = null;
            ObjectNode summary = summary(story, stats, link);
            ObjectNode byRuntime = summary.putObject("runtimes");
            stats.functions().keySet().forEach(name -> byRuntime.put(name, runtimes.getOrDefault(name, "java")));
            printSummary(summary, stats);
            if (options.json()) {
                out.println(summary.toString());
            }
            return summary;
        } finally {
            if (host != null) {
                host.close();
            }
            if (rig != null) {
                rig.close();
            }
            mcuTimers.shutdownNow();
            hostLog.setLevel(previousLevel);
            if (options.dataDir() == null) {
                deleteQuietly(dataDir); // a temporary folder of our own; a given --data-dir is kept
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // Left for the OS's temp cleaner; the demo's result does not depend on it.
        }
    }

    private static Deployment demoDeployment(String port, Path dataDir, boolean js) throws IOException {
        try (InputStream in = DemoScenario.class.getResourceAsStream("/edgefn/demo/deployment.json")) {
            if (in == null) {
                throw new IOException("the demo deployment resource is missing from the runtime jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${PORT}", port.replace("\\", "\\\\").replace("\"", "\\\""));
            if (js) {
                text = DemoJsPackages.deployJs(text, "packages/pump-js.jar", JS_FUNCTION);
            }
            return Deployment.parse(text.getBytes(StandardCharsets.UTF_8), "demo deployment", dataDir);
        }
    }

    private static ObjectNode summary(DemoStory story, HostStats stats, String link) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode s = json.createObjectNode();
        s.put("readings", story.readings());
        s.put("anomalies", story.anomalies());
        s.put("upstreamHeld", stats.upstreamHeld());
        s.put("upstreamOldestAgeMillis", stats.upstreamOldestAgeMillis());
        s.put("bufferBytes", stats.bufferBytes());
        s.put("shutdownCommanded", story.shutdownCommanded());
        s.put("shutdownAcknowledged", story.shutdownAcknowledged());
        if (story.anomalyToShutdownMillis() == null) {
            s.putNull("anomalyToShutdownMillis");
        } else {
            s.put("anomalyToShutdownMillis", story.anomalyToShutdownMillis());
        }
        s.put("link", link);
        ObjectNode routes = s.putObject("messagesByRoute");
        stats.messagesByRoute().forEach(routes::put);
        ObjectNode invocations = s.putObject("invocations");
        stats.functions().forEach((name, f) -> invocations.put(name, f.invocations()));
        ObjectNode failures = s.putObject("failures");
        stats.functions().forEach((name, f) -> failures.put(name, f.failures()));
        return s;
    }

    private void printSummary(ObjectNode s, HostStats stats) {
        out.println();
        out.println("Summary");
        out.printf(Locale.ROOT, "  readings from the pump     %d%n", s.get("readings").asLong());
        out.printf(Locale.ROOT, "  anomalies detected         %d%n", s.get("anomalies").asLong());
        out.printf(Locale.ROOT, "  shutdown                   %s%n", !s.get("shutdownCommanded").asBoolean() ? "not commanded"
                : s.get("shutdownAcknowledged").asBoolean() ? "commanded and acknowledged by the MCU" : "commanded, NOT acknowledged");
        out.printf(Locale.ROOT, "  anomaly -> shutdown ack    %s%n", s.get("anomalyToShutdownMillis").isNull() ? "-"
                : s.get("anomalyToShutdownMillis").asLong() + " ms");
        out.printf(Locale.ROOT, "  held for upstream          %d message(s), %d bytes on disk, oldest %.1f s (no upstream link configured)%n",
                s.get("upstreamHeld").asLong(), s.get("bufferBytes").asLong(), s.get("upstreamOldestAgeMillis").asLong() / 1000.0);
        out.println();
        out.printf(Locale.ROOT, "  %-24s %10s%n", "route", "messages");
        for (Map.Entry<String, Long> e : stats.messagesByRoute().entrySet()) {
            out.printf(Locale.ROOT, "  %-24s %10d%n", e.getKey(), e.getValue());
        }
        out.println();
        out.printf(Locale.ROOT, "  %-18s %-7s %-8s %11s %8s %7s  %s%n", "function", "runtime", "state", "invocations", "failures",
                "queued", "threads");
        for (FunctionStats f : stats.functions().values()) {
            out.printf(Locale.ROOT, "  %-18s %-7s %-8s %11d %8d %7d  %s%n", f.name(), s.path("runtimes").path(f.name()).asText("java"),
                    f.state(), f.invocations(), f.failures(), f.queued(), f.safetyCritical() ? "safety path (platform)" : "virtual");
        }
    }
}
