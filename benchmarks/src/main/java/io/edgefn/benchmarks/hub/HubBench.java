package io.edgefn.benchmarks.hub;

import io.edgefn.benchmarks.results.MachineInfo;
import io.edgefn.benchmarks.results.ResultFile;
import io.edgefn.hub.identity.DeviceRegistry;
import io.edgefn.hub.identity.GatewayIdentity;
import io.edgefn.hub.identity.SasToken;
import io.edgefn.testing.MosquittoBroker;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * {@code edgefn bench hub}: the edge hub and the upstream link against the broker alone, in one run.
 *
 * <p>The same publishers — {@value HubOptions#DEFAULT_PUBLISHERS} Paho connections, QoS 1, a window
 * of 64 unacknowledged messages each, 256-byte payloads — and one cloud subscriber on a real
 * Mosquitto, all on loopback with plain MQTT:
 * <ol>
 *   <li>(a) publishers → Mosquitto → subscriber: the broker alone, the strongest honest baseline
 *       for "a message crosses an MQTT hop";</li>
 *   <li>(b) publishers → {@code edgefn run} (its edge hub, the route
 *       {@code FROM /messages/* INTO $upstream}, the durable offline buffer fsyncing every append
 *       before the PUBACK, the upstream link) → the same Mosquitto → subscriber;</li>
 *   <li>then (b) again, paced at half its measured maximum, for publish-to-receive latency.</li>
 * </ol>
 * Each rate is what the subscriber received per second over the measured window, after a warm-up.
 * {@code lost} counts messages the gateway acknowledged (PUBACK) that never reached the
 * subscriber; it must be 0. {@code rssMb} is the gateway process's peak resident memory.
 *
 * <p>Progress on stderr; a summary on stdout, whose last line is one JSON object.
 */
public final class HubBench {

    private HubBench() {
    }

    /** Runs the benchmark with command-line {@code args} (see {@code --help}). */
    public static void main(String[] args) throws Exception {
        List<String> list = List.of(args);
        if (list.contains("--help") || list.contains("-h")) {
            System.out.println(HubOptions.USAGE);
            return;
        }
        HubOptions options;
        try {
            options = HubOptions.parse(list);
        } catch (IllegalArgumentException e) {
            System.err.println("edgefn bench hub: " + e.getMessage());
            System.err.println(HubOptions.USAGE);
            System.exit(2);
            return;
        }
        Instant startedAt = Instant.now();
        MachineInfo machine = MachineInfo.describe(Path.of(System.getProperty("java.io.tmpdir")));
        HubResult result = run(options, System.err);
        result.printSummary(System.out);
        String json = result.toJson();
        System.err.println("edgefn bench hub: saved "
                + ResultFile.saveJson("hub", args, machine, startedAt, json));
        System.out.println(json);
        System.out.flush();
        if (result.lost() > 0) {
            System.err.printf(Locale.ROOT, "edgefn bench hub: %d acknowledged message(s) never reached the cloud%n", result.lost());
            System.exit(1);
        }
    }

    static HubResult run(HubOptions options, PrintStream progress) throws Exception {
        Path work = Files.createTempDirectory("edgefn-bench-hub");
        Path log = work.resolve("gateway.log");
        Duration window = options.window();
        try (MosquittoBroker broker = MosquittoBroker.start(work.resolve("mosquitto"))) {
            progress.printf("edgefn bench hub: Mosquitto on %s; %d publishers, QoS 1, %d in flight each, %d-byte payloads, %d s windows%n",
                    broker.url(), options.publishers(), options.inFlight(), options.payloadBytes(), window.toSeconds());

            // (a) the broker alone.
            List<Publishers.Device> anonymous = new ArrayList<>();
            for (int i = 0; i < options.publishers(); i++) {
                anonymous.add(new Publishers.Device("bench-" + i, "devices/bench-" + i + "/messages/events/", null, null));
            }
            double brokerOnly = measureRate(broker.url(), broker.url(), anonymous, options, 0, progress, "(a) broker only");

            // (b) through an edgefn gateway process.
            Path data = work.resolve("data");
            GatewayIdentity gateway = GatewayIdentity.loadOrCreate(data, "benchgw", "localhost");
            DeviceRegistry registry = DeviceRegistry.open(data);
            List<Publishers.Device> devices = new ArrayList<>();
            for (int i = 0; i < options.publishers(); i++) {
                String id = "bench-" + i;
                byte[] key = Base64.getDecoder().decode(registry.add(id, null, null).primaryKey());
                String token = SasToken.create(gateway.hubHostName() + "/devices/" + id, key,
                        Instant.now().plus(Duration.ofHours(1)), null);
                devices.add(new Publishers.Device(id, "devices/" + id + "/messages/events/",
                        gateway.hubHostName() + "/" + id + "/?api-version=2021-04-12", token.toCharArray()));
            }
            Path deployment = work.resolve("deployment.json");
            Files.writeString(deployment, "{\"routes\": {\"up\": \"FROM /messages/* INTO $upstream\"}}");
            try (GatewayProcess edgefn = GatewayProcess.start(options.jar(), log, "run", "--deployment", deployment.toString(),
                    "--data-dir", data.toString(), "--gateway-id", "benchgw", "--hostname", "localhost",
                    "--mqtt-port", "0", "--mqtt-plain-port", "0", "--http-port", "0",
                    "--upstream", "mqtt://127.0.0.1:" + broker.port())) {
                String hubUrl = "tcp://127.0.0.1:" + edgefn.mqttPlainPort();
                progress.printf("edgefn bench hub: edgefn run is ready, plain MQTT on %s (its log: %s)%n", hubUrl, log);
                Rate through = measure(hubUrl, broker.url(), devices, options, 0, progress, "(b) through edgefn");
                double half = through.perSecond() / 2;
                Rate paced = measure(hubUrl, broker.url(), devices, options, half, progress,
                        String.format(Locale.ROOT, "(b) paced at %.0f/s", half));
                long lost = through.lost() + paced.lost();
                return new HubResult(options, brokerOnly, through.perSecond(), paced.latencies(), half,
                        edgefn.peakRssMb(), lost, through.duplicates() + paced.duplicates(), through.acked() + paced.acked());
            }
        }
    }

    private static double measureRate(String publishTo, String subscribeTo, List<Publishers.Device> devices, HubOptions options,
                                      double pace, PrintStream progress, String label) throws Exception {
        return measure(publishTo, subscribeTo, devices, options, pace, progress, label).perSecond();
    }

    /** What one measured window gave. */
    private record Rate(double perSecond, Histogram latencies, long lost, long duplicates, long acked) {
    }

    /**
     * Publishes through {@code publishTo} for a warm-up and then the measured window, while the
     * subscriber on {@code subscribeTo} counts; then waits for every acknowledged message to arrive.
     */
    private static Rate measure(String publishTo, String subscribeTo, List<Publishers.Device> devices, HubOptions options,
                                double pace, PrintStream progress, String label) throws Exception {
        try (CloudSubscriber subscriber = CloudSubscriber.connect(subscribeTo, "bench-cloud-" + System.nanoTime());
             Publishers publishers = Publishers.connect(publishTo, devices, options.inFlight(), options.payloadBytes())) {
            long start = System.nanoTime();
            long warmEnd = start + options.warmup().toNanos();
            long end = warmEnd + options.window().toNanos();
            Thread counting = Thread.ofPlatform().start(() -> {
                try {
                    publishers.run(end, pace);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            parkUntil(warmEnd);
            long before = subscriber.received();
            subscriber.startRecording();
            parkUntil(end);
            long after = subscriber.received();
            Histogram latencies = subscriber.stopRecording();
            counting.join();
            double perSecond = (after - before) / (options.window().toNanos() / 1e9);
            Set<String> acked = new HashSet<>(publishers.acked());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!subscriber.ids().containsAll(acked) && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
            long lost = acked.stream().filter(id -> !subscriber.ids().contains(id)).count();
            progress.printf(Locale.ROOT, "edgefn bench hub: %-24s %,10.0f msg/s received (%,d acknowledged to publishers, %d failed, %d lost)%n",
                    label, perSecond, acked.size(), publishers.failures(), lost);
            return new Rate(perSecond, latencies, lost, subscriber.duplicates(), acked.size());
        }
    }

    private static void parkUntil(long nanoTime) {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
    }
}
