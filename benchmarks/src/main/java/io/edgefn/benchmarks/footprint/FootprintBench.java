package io.edgefn.benchmarks.footprint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.benchmarks.results.MachineInfo;
import io.edgefn.benchmarks.results.ResultFile;
import io.edgefn.devices.sim.PtyPair;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code edgefn bench footprint}: the demo deployment in {@code edgefn run} — a process of its
 * own, started from {@code app/target/edgefn-all.jar} with the launcher's JVM flags — against the
 * pump MCU simulator ({@code edgefn serial simulate}) in another process over a socat pty pair.
 * Measured: the time from process start to the ready line ({@code startMillis}) and the resident
 * memory after the idle time ({@code idleRssMb}, {@code VmRSS}), with the AOT cache the launcher
 * would use (recorded first by {@code scripts/aot-cache.sh} when missing) and without it; and the
 * floor, a JVM with the same flags running nothing ({@code jvmFloorRssMb}), idling alongside the
 * first run. The simulator sends 20 readings a second and develops no fault: the deployment runs
 * its steady state, nothing more.
 *
 * <p>Prints what it does, then one JSON object as the last line. Single-threaded.
 */
public final class FootprintBench {

    /** Target of the issue: resident memory of the idle demo gateway, MiB. */
    static final double TARGET_IDLE_RSS_MB = 64;
    /** Target of the issue: process start to ready line, ms. */
    static final long TARGET_START_MILLIS = 500;

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private FootprintBench() {
    }

    /** Runs the benchmark with {@code args} (see {@link FootprintOptions#USAGE}). */
    public static void main(String[] args) throws Exception {
        FootprintOptions options;
        try {
            options = FootprintOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("edgefn bench footprint: " + e.getMessage());
            System.err.println(FootprintOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(FootprintOptions.USAGE);
            return;
        }
        Instant startedAt = Instant.now();
        MachineInfo machine = MachineInfo.describe(Path.of(System.getProperty("java.io.tmpdir")));
        String json = run(options).toString();
        System.err.println("edgefn bench footprint: saved " + ResultFile.saveJson("footprint", args, machine, startedAt, json));
        System.out.println(json);
    }

    /** The run; returns the result (also the last line of output). */
    static ObjectNode run(FootprintOptions options) throws Exception {
        Path root = Path.of(System.getProperty("edgefn.home", ".")).toAbsolutePath().normalize();
        Path jar = root.resolve("app/target/edgefn-all.jar");
        Path cache = root.resolve("app/target/edgefn-all.aot");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no runtime jar at " + jar + ": build it (./edgefn --help does)");
        }
        if (!PtyPair.available()) {
            throw new IllegalStateException("socat is not on the PATH (the MCU's pty pair needs it): apt-get install socat");
        }
        Path work = Files.createTempDirectory("edgefn-bench-footprint-");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int major = Runtime.version().feature();
        List<String> flags = LauncherFlags.gatewayFlags(root);
        System.out.printf("edgefn bench footprint: JDK %s, gateway flags: %s%n", Runtime.version(), String.join(" ", flags));

        boolean supported = major >= 25;
        List<String> aot = LauncherFlags.aotFlags(root, cache, jar, flags);
        boolean existed = !aot.isEmpty();
        boolean recorded = false;
        if (!existed && supported && options.recordCache()) {
            System.out.println("recording the AOT cache (scripts/aot-cache.sh): none matches this jar, JDK and flags");
            Path recordLog = work.resolve("aot-cache.log");
            List<String> record = List.of("bash", root.resolve("scripts/aot-cache.sh").toString(), jar.toString(), cache.toString());
            ProcessBuilder pb = new ProcessBuilder(record).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(recordLog.toFile()));
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process p = pb.start();
            if (p.waitFor() != 0) {
                System.out.println("recording the AOT cache failed; measuring without it. " + MeasuredProcess.tail(recordLog));
            }
            aot = LauncherFlags.aotFlags(root, cache, jar, flags);
            recorded = !aot.isEmpty();
        }

        Path data = work.resolve("data");
        Path deployment = work.resolve("run.json");
        Path tty = work.resolve("tty");
        writeDeployment(work, deployment, tty.resolve("tty-gateway"));
        // The gateway's identity and certificates, made once beforehand: every start measured is
        // a restart of a gateway that has them, as in the field.
        List<String> certs = new ArrayList<>(List.of(java));
        certs.addAll(flags);
        certs.addAll(List.of("-jar", jar.toString(), "certs", "export", "--data-dir", data.toString(), "--hostname", "localhost"));
        MeasuredProcess.run("edgefn certs export", certs, work.resolve("certs.log"), Duration.ofSeconds(120));

        List<String> floorCommand = new ArrayList<>(List.of(java));
        floorCommand.addAll(flags);
        floorCommand.addAll(List.of("-cp", benchmarksJar(), Idle.class.getName()));

        Run withCache = null;
        double floorRss;
        try (MeasuredProcess floor = MeasuredProcess.start("the idle JVM", floorCommand, work.resolve("floor.log"),
                "ready"::equals, READY_TIMEOUT)) {
            if (!aot.isEmpty()) {
                withCache = measure("with the AOT cache", java, flags, aot, jar, deployment, data, tty, work, options);
            }
            floorRss = floor.rssMb();
        }
        Run without = measure("without the AOT cache", java, flags, List.of(), jar, deployment, data, tty, work, options);
        Run main = withCache != null ? withCache : without;

        ObjectNode result = new ObjectMapper().createObjectNode();
        result.put("benchmark", "footprint");
        result.put("quick", options.quick());
        result.put("idleSeconds", options.idleSeconds());
        result.put("idleRssMb", round(main.rssMb()));
        result.put("jvmFloorRssMb", round(floorRss));
        result.put("startMillis", main.startMillis());
        result.put("startMillisWithoutAotCache", without.startMillis());
        result.put("idleRssMbWithoutAotCache", round(without.rssMb()));
        result.put("idleRssAnonMb", round(main.rssAnonMb()));
        result.put("idleRssFileMb", round(main.rssFileMb()));
        result.put("deviceOnline", main.deviceOnline() && without.deviceOnline());
        ObjectNode cacheNode = result.putObject("aotCache");
        cacheNode.put("supported", supported).put("existed", existed).put("recorded", recorded).put("used", withCache != null)
                .put("file", cache.toString());
        if (Files.isRegularFile(cache)) {
            cacheNode.put("sizeMb", round(Files.size(cache) / 1048576.0));
        }
        result.put("jvmFlags", String.join(" ", flags));
        result.put("jdk", System.getProperty("java.vm.vendor") + " " + Runtime.version());
        ObjectNode targets = result.putObject("targets");
        targets.put("idleRssMb", TARGET_IDLE_RSS_MB).put("startMillis", TARGET_START_MILLIS);
        ObjectNode met = result.putObject("met");
        met.put("idleRssMb", main.rssMb() <= TARGET_IDLE_RSS_MB).put("startMillis", main.startMillis() <= TARGET_START_MILLIS);
        System.out.printf(Locale.ROOT, "floor (a JVM with the same flags running nothing): %.1f MiB%n", floorRss);
        System.out.printf(Locale.ROOT, "idle RSS %.1f MiB (target %.0f: %s), start %d ms (target %d: %s)%s%n", main.rssMb(),
                TARGET_IDLE_RSS_MB, main.rssMb() <= TARGET_IDLE_RSS_MB ? "met" : "MISSED", main.startMillis(), TARGET_START_MILLIS,
                main.startMillis() <= TARGET_START_MILLIS ? "met" : "MISSED",
                withCache != null ? "" : " — without an AOT cache (" + (supported ? "none recorded" : "JDK " + major
                        + " has none") + ")");
        deleteQuietly(work);
        return result;
    }

    /** One measured start of the gateway: its start time, its idle memory, and whether the pump came online. */
    record Run(long startMillis, double rssMb, double rssAnonMb, double rssFileMb, boolean deviceOnline) {
    }

    private static Run measure(String label, String java, List<String> flags, List<String> aot, Path jar, Path deployment,
                               Path data, Path tty, Path work, FootprintOptions options) throws Exception {
        String tag = aot.isEmpty() ? "no-aot" : "aot";
        try (PtyPair pty = PtyPair.open(tty)) {
            List<String> sim = new ArrayList<>(List.of(java));
            sim.addAll(flags);
            sim.addAll(List.of("-jar", jar.toString(), "serial", "simulate", pty.deviceEnd().toString(),
                    "--fault-after", "1000000"));
            try (MeasuredProcess mcu = MeasuredProcess.start("the pump MCU simulator", sim, work.resolve("sim-" + tag + ".log"),
                    l -> l.startsWith("pump MCU"), READY_TIMEOUT)) {
                List<String> run = new ArrayList<>(List.of(java));
                run.addAll(flags);
                run.addAll(aot);
                run.addAll(List.of("-jar", jar.toString(), "run", "--deployment", deployment.toString(), "--data-dir",
                        data.toString(), "--mqtt-port", "0", "--http-port", "0", "--function-http-port", "0"));
                Path log = work.resolve("run-" + tag + ".log");
                try (MeasuredProcess gateway = MeasuredProcess.start("edgefn run", run, log,
                        l -> l.contains("\"event\":\"ready\""), READY_TIMEOUT)) {
                    System.out.printf("%s: ready after %d ms; idling %d s…%n", label, gateway.startMillis(), options.idleSeconds());
                    Thread.sleep(Duration.ofSeconds(options.idleSeconds()));
                    double rss = gateway.rssMb();
                    double anon = gateway.statusMb("RssAnon");
                    double file = gateway.statusMb("RssFile");
                    boolean online = gateway.logContains("device pump-01 is ONLINE");
                    System.out.printf(Locale.ROOT, "%s: idle RSS %.1f MiB (anonymous %.1f, files %.1f)%s%n", label, rss, anon,
                            file, online ? "" : " (the pump never came online!)");
                    return new Run(gateway.startMillis(), rss, anon, file, online);
                }
            }
        }
    }

    private static void writeDeployment(Path work, Path deployment, Path port) throws IOException {
        Path packages = work.resolve("packages");
        Files.createDirectories(packages);
        try (InputStream in = resource("/edgefn/demo/pump-functions.jar")) {
            Files.copy(in, packages.resolve("pump-functions.jar"), StandardCopyOption.REPLACE_EXISTING);
        }
        String text;
        try (InputStream in = resource("/edgefn/demo/deployment.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.writeString(deployment, text.replace("${PORT}", port.toString().replace("\\", "\\\\").replace("\"", "\\\"")));
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = FootprintBench.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("the benchmarks jar has no " + name + " (a resource of edgefn-device-sim); rebuild it");
        }
        return in;
    }

    private static String benchmarksJar() {
        try {
            return Path.of(Idle.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("where is the benchmarks jar? " + e.getMessage(), e);
        }
    }

    private static double round(double mb) {
        return Math.round(mb * 10) / 10.0;
    }

    private static void deleteQuietly(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // left for the OS's temp cleaner
        }
    }
}
