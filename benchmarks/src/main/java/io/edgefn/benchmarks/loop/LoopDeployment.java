package io.edgefn.benchmarks.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.deploy.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The benchmark's deployment: the demo's routes and pump package (resources of
 * {@code edgefn-device-sim}) plus the load-generator package this module embeds ({@code cpu-burner}), its device on the gateway end of the pty, and
 * settings tuned for 1 kHz telemetry.
 *
 * <p>The demo tunes the detector's statistical model for 20 Hz (a 40-reading window is two
 * seconds there, 40 ms here, where sensor noise looks like a steep slope). The benchmark measures
 * the hard-limit path — one reading beyond {@code hardLimit} trips at once — so it switches the
 * statistical triggers off; the run counts any shutdown that no injected reading caused
 * ({@code spuriousShutdowns}), which stays 0.
 */
final class LoopDeployment {

    /** The device id of the pump in the demo deployment. */
    static final String DEVICE_ID = "pump-01";
    /** The anomaly detector's hard limit, bar, as in the demo deployment. */
    static final double HARD_LIMIT = 180;
    /** The route that carries the pump's EVENTs to the anomaly detector. */
    static final String EVENTS_TO_DETECTOR = "pumpEventsToDetector";
    /** The route that carries the pump's EVENTs to the shutdown function. */
    static final String EVENTS_TO_SHUTDOWN = "pumpEventsToShutdown";
    /** The route that carries the pump's TELEMETRY to the analytics function. */
    static final String READINGS = "readings";

    private static final String PACKAGE_RESOURCE = "/edgefn/demo/pump-functions.jar";
    private static final String LOAD_PACKAGE_RESOURCE = "/edgefn/bench/load-functions.jar";
    private static final String DEPLOYMENT_RESOURCE = "/edgefn/demo/deployment.json";

    private LoopDeployment() {
    }

    /**
     * Copies the embedded function package into {@code workDir} and returns the deployment
     * for a host whose device port is {@code port}; {@code burnMillis} 0 leaves the burner idle.
     */
    static Deployment create(Path workDir, String port, long burnMillis) throws IOException {
        Path packageJar = workDir.resolve("packages/pump-functions.jar");
        Files.createDirectories(packageJar.getParent());
        try (InputStream in = resource(PACKAGE_RESOURCE)) {
            Files.copy(in, packageJar, StandardCopyOption.REPLACE_EXISTING);
        }
        Path loadJar = workDir.resolve("packages/load-functions.jar");
        try (InputStream in = resource(LOAD_PACKAGE_RESOURCE)) {
            Files.copy(in, loadJar, StandardCopyOption.REPLACE_EXISTING);
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode deployment;
        try (InputStream in = resource(DEPLOYMENT_RESOURCE)) {
            deployment = (ObjectNode) json.readTree(in);
        }
        deployment.put("version", "bench-loop-1");
        ObjectNode device = (ObjectNode) deployment.path("devices").path(DEVICE_ID);
        if (device.isMissingNode()) {
            throw new IOException("the demo deployment has no device " + DEVICE_ID + "; the benchmark needs it");
        }
        device.put("port", port);
        ObjectNode settings = (ObjectNode) deployment.path("packages").path("pump").path("settings");
        if (settings.isMissingNode()) {
            throw new IOException("the demo deployment has no package 'pump' with settings; the benchmark needs it");
        }
        // One second of readings at 1 kHz, as the demo's window is two seconds at 20 Hz; one
        // sampled aggregate upstream per second.
        settings.putObject("pump-analytics").put("windowSize", 1_000).put("sampleEvery", 1_000);
        settings.putObject("anomaly-detector").put("hardLimit", HARD_LIMIT)
                .put("zThreshold", 1e9).put("slopeLimit", 1e9).put("consecutive", 5)
                .put("alpha", 0.005).put("warmup", 40);
        ObjectNode load = ((ObjectNode) deployment.path("packages")).putObject("load");
        load.put("file", "packages/load-functions.jar");
        load.putObject("settings").putObject("cpu-burner").put("burnMillis", burnMillis);
        return Deployment.parse(json.writeValueAsBytes(deployment), "loop benchmark deployment", workDir);
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = LoopDeployment.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("the class path has no " + name + "; rebuild the benchmarks with "
                    + "mvn -pl benchmarks -am package");
        }
        return in;
    }
}
