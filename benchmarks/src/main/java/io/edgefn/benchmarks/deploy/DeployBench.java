package io.edgefn.benchmarks.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.api.Message;
import io.edgefn.app.fleet.FleetOptions;
import io.edgefn.app.fleet.FleetRollout;
import io.edgefn.app.gateway.Gateway;
import io.edgefn.benchmarks.results.MachineInfo;
import io.edgefn.benchmarks.results.ResultFile;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.buffer.Cursor;
import io.edgefn.deploy.Deployment;
import io.edgefn.runtime.DeployOutcome;
import io.edgefn.runtime.EdgeHost;
import io.edgefn.runtime.MessageOrigin;
import io.edgefn.testing.MosquittoBroker;
import io.edgefn.upstream.UpstreamConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;

/**
 * {@code edgefn bench deploy}: how long a live deployment change takes.
 *
 * <ul>
 *   <li>{@code singleApplyMillis}: one host under a steady load (messages through a pass-through
 *   function), a one-function change (the other function of the package gets new settings, so it
 *   restarts and the pass-through keeps running): from {@code apply} to the swap of the route
 *   graph, the health gate's waiting not counted; {@code gateMillis} is the gate's own period.
 *   {@code lost} counts the load's messages that never came out (must be 0), {@code duplicated}
 *   the extra ones.</li>
 *   <li>{@code fleetApplyMillis}: N whole gateways in this JVM, each with its own data directory
 *   and broker connection, one Mosquitto; from the start of {@code edgefn fleet-deploy} (connect,
 *   publish) until every gateway reported APPLIED (a deployment without a gate period; the
 *   burner gets a new setting, not more work, so that 50 gateways on one machine do not burn it).</li>
 * </ul>
 * The last line of stdout is one JSON object. Runs on the calling thread.
 */
public final class DeployBench {

    private static final String PACKAGE_RESOURCE = "/edgefn/bench/load-functions.jar";
    private static final String DEVICE = "bench-device";
    private static final String USAGE = """
            usage: edgefn bench deploy [--quick] [--gateways N] [--rate MSGS_PER_S] [--gate SECONDS]
              --quick      20 gateways, a 1 s gate (within 5 minutes; default: 50 gateways, a 2 s gate)
              --gateways   how many gateways the fleet rollout targets
              --rate       the load on the single gateway during its change (default 2000 messages/s)
              --gate       the single gateway's health-gate period""";

    private DeployBench() {
    }

    /** Runs the benchmark; prints progress and, last, one JSON line. */
    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Integer gateways = null;
        int rate = 2000;
        Integer gate = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--gateways" -> gateways = Integer.parseInt(value(args, ++i));
                case "--rate" -> rate = Integer.parseInt(value(args, ++i));
                case "--gate" -> gate = Integer.parseInt(value(args, ++i));
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> {
                    System.err.println("edgefn bench deploy: unknown option '" + args[i] + "'");
                    System.err.println(USAGE);
                    System.exit(2);
                }
            }
        }
        int n = gateways != null ? gateways : quick ? 20 : 50;
        int gateSeconds = gate != null ? gate : quick ? 1 : 2;
        if (n < 1 || rate < 1 || gateSeconds < 0) {
            System.err.println("edgefn bench deploy: --gateways and --rate must be at least 1, --gate at least 0");
            System.exit(2);
        }
        Instant startedAt = Instant.now();
        Path work = Files.createTempDirectory("edgefn-bench-deploy");
        MachineInfo machine = MachineInfo.describe(work);
        Path jar = work.resolve("packages/functions.jar");
        Files.createDirectories(jar.getParent());
        try (InputStream in = DeployBench.class.getResourceAsStream(PACKAGE_RESOURCE)) {
            if (in == null) {
                throw new IOException("the class path has no " + PACKAGE_RESOURCE + "; rebuild with mvn -pl benchmarks -am package");
            }
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        Single single = single(work, rate, gateSeconds);
        System.out.printf("single gateway under %d msg/s: applied in %d ms (health gate %d ms), %d sent, %d lost, %d duplicated%n",
                rate, single.outcome.applyMillis(), single.outcome.gateMillis(), single.sent, single.lost, single.duplicated);
        long fleetMillis = fleet(work, n);
        System.out.printf("fleet of %d gateways through one Mosquitto: all applied in %d ms%n", n, fleetMillis);
        ObjectNode result = new ObjectMapper().createObjectNode()
                .put("singleApplyMillis", single.outcome.applyMillis())
                .put("gateMillis", single.outcome.gateMillis())
                .put("fleetApplyMillis", fleetMillis)
                .put("gateways", n)
                .put("lost", single.lost)
                .put("duplicated", single.duplicated)
                .put("loadRate", rate)
                .put("quick", quick);
        System.err.println("edgefn bench deploy: saved "
                + ResultFile.saveJson("deploy", args, machine, startedAt, result.toString()));
        System.out.println(result);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /** The deployment document: the pass-through on the load's route, the CPU burner (a timer) burning {@code burnMillis} per 10 ms tick. */
    private static String document(String version, int burnMillis, int gateSeconds) {
        return document(version, burnMillis, gateSeconds, null);
    }

    /** As above, with a {@code label} setting the burner ignores: a change of that function that costs no CPU afterwards. */
    private static String document(String version, int burnMillis, int gateSeconds, String label) {
        ObjectNode d = new ObjectMapper().createObjectNode();
        d.put("version", version);
        ObjectNode pkg = d.putObject("packages").putObject("functions");
        pkg.put("file", "packages/functions.jar");
        ObjectNode burner = pkg.putObject("settings").putObject("cpu-burner").put("burnMillis", burnMillis);
        if (label != null) {
            burner.put("label", label);
        }
        d.putObject("modules").putObject("sink").putArray("inputs").add("in");
        ObjectNode routes = d.putObject("routes");
        routes.put("toFunction", "FROM /messages/* WHERE $connectionDeviceId = '" + DEVICE
                + "' INTO BrokeredEndpoint(\"/modules/pass-through/inputs/in\")");
        routes.put("toSink", "FROM /messages/modules/pass-through/outputs/out INTO BrokeredEndpoint(\"/modules/sink/inputs/in\")");
        d.putObject("healthGate").put("seconds", gateSeconds);
        return d.toPrettyString();
    }

    private record Single(DeployOutcome outcome, long sent, long lost, long duplicated) {
    }

    private static Single single(Path work, int rate, int gateSeconds) throws Exception {
        Path v1 = Files.writeString(work.resolve("single-v1.json"), document("v1", 0, gateSeconds));
        Path v2 = Files.writeString(work.resolve("single-v2.json"), document("v2", 1, gateSeconds));
        try (EdgeHost host = EdgeHost.builder().deployment(Deployment.read(v1)).dataDirectory(work.resolve("single"))
                .gatewayId("bench-single").build().start()) {
            Cursor sink = host.moduleInboxes("sink").get(0).cursor();
            AtomicLong received = new AtomicLong();
            AtomicLong sent = new AtomicLong();
            AtomicBoolean loading = new AtomicBoolean(true);
            Thread load = new Thread(() -> offer(host, rate, sent, loading), "bench-load");
            Thread drain = new Thread(() -> drain(sink, received, loading, sent), "bench-drain");
            load.start();
            drain.start();
            Thread.sleep(2000); // a steady load before the change
            DeployOutcome outcome = host.deployments().apply(Deployment.read(v2)).get(120, TimeUnit.SECONDS);
            Thread.sleep(1000); // and after it
            loading.set(false);
            load.join();
            drain.join(60_000);
            if (!outcome.applied()) {
                throw new IllegalStateException("the change was not applied: " + outcome.state() + " " + outcome.reasons());
            }
            long s = sent.get();
            long r = received.get();
            return new Single(outcome, s, Math.max(0, s - r), Math.max(0, r - s));
        }
    }

    private static void offer(EdgeHost host, int rate, AtomicLong sent, AtomicBoolean loading) {
        MessageOrigin origin = MessageOrigin.localDevice(DEVICE);
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long next = System.nanoTime();
        while (loading.get()) {
            byte[] body = Long.toString(sent.get()).getBytes(StandardCharsets.UTF_8);
            host.offer(Message.builder().body(body).build(), origin).taken().join();
            sent.incrementAndGet();
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    private static void drain(Cursor sink, AtomicLong received, AtomicBoolean loading, AtomicLong sent) {
        long idleSince = System.nanoTime();
        try {
            while (loading.get() || received.get() < sent.get()) {
                List<BufferedRecord> records = sink.poll(4096, Duration.ofMillis(200));
                for (BufferedRecord r : records) {
                    sink.ack(r.offset());
                }
                received.addAndGet(records.size());
                if (!records.isEmpty()) {
                    idleSince = System.nanoTime();
                } else if (!loading.get() && System.nanoTime() - idleSince > TimeUnit.SECONDS.toNanos(10)) {
                    return; // nothing more comes: the rest is lost
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long fleet(Path work, int n) throws Exception {
        Path home = Files.createDirectories(work.resolve("fleet"));
        Files.createDirectories(home.resolve("packages"));
        Files.copy(work.resolve("packages/functions.jar"), home.resolve("packages/functions.jar"));
        Path v1 = Files.writeString(home.resolve("fleet-v1.json"), document("v1", 0, 0));
        Path v2 = Files.writeString(home.resolve("fleet-v2.json"), document("v2", 0, 0, "v2"));
        List<Gateway> gateways = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        MosquittoBroker broker = MosquittoBroker.start(work.resolve("broker"));
        try {
            String url = "mqtt://127.0.0.1:" + broker.port();
            List<CompletableFuture<Gateway>> starts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = "bench-%03d".formatted(i);
                starts.add(CompletableFuture.supplyAsync(() -> Gateway.builder().deployment(Deployment.read(v1))
                        .dataDirectory(home.resolve("data").resolve(id)).gatewayId(id).mqttPort(-1).mqttPlainPort(0)
                        .upstream(UpstreamConfig.parse(url, null, Map.of())).tags(Map.of("bench", "deploy")).build().start(), pool));
            }
            for (CompletableFuture<Gateway> s : starts) {
                gateways.add(s.join());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!gateways.stream().allMatch(g -> g.fleet().connected())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not every gateway connected to the broker within 60 s");
                }
                Thread.sleep(50);
            }
            System.out.println(n + " gateways started and connected to " + url);
            FleetOptions options = new FleetOptions();
            new CommandLine(options).parseArgs("--fleet", url, "--target", "bench=deploy", "--expect", Integer.toString(n));
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            long t0 = System.nanoTime();
            int status = FleetRollout.run(v2, options, Duration.ofSeconds(240), new PrintStream(progress, true, StandardCharsets.UTF_8), false);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.err.print(progress.toString(StandardCharsets.UTF_8)); // each gateway's answer and timings
            if (status != FleetRollout.OK) {
                throw new IllegalStateException("the fleet rollout failed:\n" + progress.toString(StandardCharsets.UTF_8));
            }
            return millis;
        } finally {
            CompletableFuture.allOf(gateways.stream().map(g -> CompletableFuture.runAsync(g::close, pool).exceptionally(e -> null))
                    .toArray(CompletableFuture[]::new)).join();
            pool.shutdownNow();
            broker.close(); // after the gateways: they say goodbye, not "connection refused"
        }
    }
}
