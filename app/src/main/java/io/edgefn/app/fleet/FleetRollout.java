package io.edgefn.app.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.deploy.Deployment;
import io.edgefn.deploy.PackageHashes;
import io.edgefn.deploy.PackageRef;
import io.edgefn.upstream.UpstreamConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The CLI's side of a fleet deployment ({@code edgefn deploy DEPLOYMENT --fleet URL} and
 * {@code edgefn fleet-deploy}): checks the deployment as {@code run} does (its package files
 * against their {@code sha256}), carries every local jar inline, learns which gateways are
 * targeted from their retained announcements ({@link FleetTopics#GATEWAYS}), publishes the
 * deployment once (retained, so an offline gateway takes it up when it returns), and follows the
 * gateways' retained statuses until every targeted gateway answered or the timeout passed:
 * a progress bar on a terminal, one plain line per gateway otherwise, then a summary.
 *
 * <p>One rollout per instance, on the calling thread; MQTT callbacks only record what arrives.
 */
public final class FleetRollout {

    /** Exit status when every targeted gateway applied the deployment. */
    public static final int OK = 0;
    /** Exit status when a gateway refused it, rolled it back, or did not answer in time (or nothing could be published). */
    public static final int FAILED = 1;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final int BAR = 30;

    private final FleetOptions options;
    private final Duration timeout;
    private final PrintStream out;
    private final boolean terminal;
    private final Map<String, Map<String, String>> announced = new ConcurrentHashMap<>();
    private final Map<String, FleetStatus> statuses = new ConcurrentHashMap<>();
    private final Semaphore changes = new Semaphore(0);
    private final CountDownLatch synced = new CountDownLatch(1);

    private FleetRollout(FleetOptions options, Duration timeout, PrintStream out, boolean terminal) {
        this.options = options;
        this.timeout = timeout;
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * Rolls {@code deploymentFile} out as {@code options} say, printing progress on {@code out}.
     *
     * @param timeout  how long to wait for every targeted gateway's answer, health gate included
     *                 (the command's {@code --timeout}), and for {@code --expect}'s gateways
     * @param terminal whether {@code out} is a terminal (a progress bar) or not (plain lines)
     * @return {@link #OK} when every targeted gateway applied it, else {@link #FAILED}
     * @throws IllegalArgumentException for a bad option, with the reason
     * @throws io.edgefn.deploy.DeploymentException when the deployment is invalid, every problem listed
     * @throws IOException when a package cannot be read
     * @throws IllegalStateException when the broker cannot be reached, naming it
     * @throws MqttException when the broker fails the rollout after the connection
     */
    public static int run(Path deploymentFile, FleetOptions options, Duration timeout, PrintStream out, boolean terminal)
            throws IOException, MqttException, InterruptedException {
        return new FleetRollout(options, timeout, out, terminal).roll(deploymentFile);
    }

    /** The message for {@code deploymentFile}: checked, its local jars inline. */
    public static FleetDeployment message(Path deploymentFile, Map<String, List<String>> target) throws IOException {
        Deployment deployment = Deployment.read(deploymentFile);
        PackageHashes.verify(deployment);
        Map<String, FleetDeployment.InlinePackage> inline = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (PackageRef ref : deployment.packages().values()) {
            if (ref.file() == null) {
                continue; // a url package: each gateway fetches it and checks its sha256
            }
            if (Path.of(ref.file()).isAbsolute()) {
                problems.add("package '" + ref.name() + "': file " + ref.file() + " is absolute; a fleet deployment names"
                        + " its package files relative to the deployment document (the gateways keep them under their own directory)");
                continue;
            }
            Path jar = deployment.resolve(ref);
            long size = Files.size(jar);
            if (size > FleetDeployment.MAX_INLINE_BYTES) {
                problems.add("package '" + ref.name() + "': " + ref.file() + " is " + size / 1024 + " KiB, more than the "
                        + FleetDeployment.MAX_INLINE_BYTES / 1024 + " KiB a fleet deployment carries through the broker;"
                        + " serve it from a package repository (any static HTTP server) and name it by url and sha256");
                continue;
            }
            byte[] bytes = Files.readAllBytes(jar);
            inline.put(ref.name(), new FleetDeployment.InlinePackage(ref.file(), FleetDeployment.sha256(bytes), bytes));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        byte[] hex = new byte[4];
        new SecureRandom().nextBytes(hex);
        Instant now = Instant.now();
        String id = ID_TIME.format(now) + "-" + HexFormat.of().formatHex(hex);
        String document = Files.readString(deploymentFile.toAbsolutePath(), StandardCharsets.UTF_8);
        return new FleetDeployment(id, now.toString(), deployment.version(), target, document, inline);
    }

    private int roll(Path deploymentFile) throws IOException, MqttException, InterruptedException {
        if (options.broker() == null) {
            throw new IllegalArgumentException("--fleet is required: the broker the gateways use upstream (mqtt://host:port)");
        }
        if (timeout.toSeconds() < 1 || timeout.toSeconds() > 86_400) {
            throw new IllegalArgumentException("--timeout must be between 1 and 86400 seconds, was " + timeout.toSeconds());
        }
        if (options.expect() < 0) {
            throw new IllegalArgumentException("--expect must be 0 or more, was " + options.expect());
        }
        if (options.auth() != null && !options.auth().startsWith("@")) {
            throw new IllegalArgumentException("--fleet-auth takes @FILE: secrets on the command line show in ps");
        }
        Map<String, List<String>> target = FleetTags.parse(options.targets(), "--target", true);
        FleetDeployment message = message(deploymentFile, target);
        UpstreamConfig config = UpstreamConfig.parse(options.broker(), options.auth(), System.getenv());
        byte[] nonce = new byte[6];
        new SecureRandom().nextBytes(nonce);
        String clientId = "edgefn-cli-" + HexFormat.of().formatHex(nonce);
        String syncTopic = FleetTopics.PREFIX + "cli/" + clientId;
        long deadline = System.nanoTime() + timeout.toNanos();
        MqttClient client = new MqttClient(config.serverUri(), clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                changes.release();
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                record(topic, m.getPayload(), syncTopic);
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        try {
            client.connect(FleetMqtt.options(config));
        } catch (MqttException e) {
            client.close(true);
            throw new IllegalStateException("cannot connect to the fleet broker " + config.serverUri() + ": " + e.getMessage()
                    + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : "") + "; nothing was published", e);
        }
        try {
            client.subscribe(new String[] {FleetTopics.GATEWAYS, FleetTopics.STATUSES, syncTopic}, new int[] {1, 1, 1});
            // The broker sends the retained announcements before this round trip comes back.
            client.publish(syncTopic, new byte[] {1}, 1, false);
            if (!synced.await(10, TimeUnit.SECONDS)) {
                out.println("edgefn: the broker did not echo a message within 10 s; the gateways seen so far are targeted");
            }
            TreeSet<String> targeted = new TreeSet<>(matching(target));
            while (targeted.size() < Math.max(1, options.expect()) && System.nanoTime() < deadline) {
                if (options.expect() == 0) {
                    break;
                }
                changes.tryAcquire(200, TimeUnit.MILLISECONDS);
                targeted.addAll(matching(target));
            }
            String targetText = target.isEmpty() ? "every gateway" : "tags " + target;
            if (targeted.isEmpty() || targeted.size() < options.expect()) {
                out.println("edgefn: " + (targeted.isEmpty() ? "no" : "only " + targeted.size()) + " gateway(s)"
                        + (target.isEmpty() ? "" : " matching " + targetText) + " announced on " + config.serverUri() + (options.expect() > 0 ? " (expected "
                        + options.expect() + ")" : "") + "; gateways announce themselves on " + FleetTopics.PREFIX
                        + "gateways/ID when they run with --upstream. Nothing was published.");
                return FAILED;
            }
            out.println("fleet deployment " + message.id() + (message.version() != null ? " (version " + message.version() + ")" : "")
                    + " to " + targeted.size() + " gateway(s) matching " + targetText + " via " + config.serverUri());
            client.publish(FleetTopics.DEPLOYMENT, message.toJson(), 1, true);
            return follow(message.id(), target, targeted, deadline);
        } finally {
            try {
                client.disconnect(2000);
            } catch (MqttException e) {
                // the rollout's outcome is decided; a failed goodbye changes nothing
            }
            client.close(true);
        }
    }

    private void record(String topic, byte[] payload, String syncTopic) {
        if (topic.equals(syncTopic)) {
            synced.countDown();
        } else if (topic.startsWith(FleetTopics.PREFIX + "gateways/")) {
            String id = FleetTopics.lastLevel(topic);
            if (payload.length == 0) {
                announced.remove(id); // a gateway taken out of the fleet
            } else {
                try {
                    JsonNode n = JSON.readTree(payload);
                    Map<String, String> tags = new TreeMap<>();
                    n.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
                    announced.put(id, tags);
                } catch (IOException | RuntimeException e) {
                    // not an announcement: not a gateway
                }
            }
        } else if (topic.startsWith(FleetTopics.PREFIX + "status/") && payload.length > 0) {
            try {
                statuses.put(FleetTopics.lastLevel(topic), FleetStatus.parse(payload));
            } catch (IllegalArgumentException e) {
                // not a status
            }
        }
        changes.release();
    }

    private List<String> matching(Map<String, List<String>> target) {
        return announced.entrySet().stream().filter(e -> FleetTags.matches(target, e.getValue())).map(Map.Entry::getKey).toList();
    }

    private int follow(String id, Map<String, List<String>> target, TreeSet<String> targeted, long deadline)
            throws InterruptedException {
        long began = System.nanoTime();
        Map<String, FleetStatus> done = new TreeMap<>();
        while (true) {
            targeted.addAll(matching(target)); // a gateway announcing itself now takes it up too
            for (String gateway : targeted) {
                FleetStatus s = statuses.get(gateway);
                if (s != null && s.fleetDeployment().equals(id) && s.done() && !done.containsKey(gateway)) {
                    done.put(gateway, s);
                    line(gateway + "  " + s.state() + "  " + describe(s));
                }
            }
            if (terminal) {
                bar(targeted, done, began);
            }
            if (done.size() == targeted.size() || System.nanoTime() >= deadline) {
                break;
            }
            changes.tryAcquire(terminal ? 250 : 1000, TimeUnit.MILLISECONDS);
        }
        if (terminal) {
            out.println();
        }
        return summary(id, targeted, done);
    }

    private static String describe(FleetStatus s) {
        StringBuilder b = new StringBuilder();
        if (s.applyMillis() >= 0) {
            b.append("applied in ").append(s.applyMillis()).append(" ms, health gate ").append(s.gateMillis()).append(" ms, ");
        }
        b.append(s.totalMillis()).append(" ms in all");
        if (!s.reasons().isEmpty()) {
            b.append(": ").append(String.join("; ", s.reasons()));
        }
        return b.toString();
    }

    private void line(String text) {
        if (terminal) {
            out.print("\r\033[K");
        }
        out.println(text);
    }

    private void bar(TreeSet<String> targeted, Map<String, FleetStatus> done, long began) {
        long applied = done.values().stream().filter(s -> FleetStatus.APPLIED.equals(s.state())).count();
        long failed = done.size() - applied;
        int total = targeted.size();
        int filled = total == 0 ? 0 : (int) (BAR * done.size() / total);
        out.print("\r\033[K[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] " + applied + " applied, " + failed
                + " failed, " + (total - done.size()) + " pending of " + total + " ("
                + Duration.ofNanos(System.nanoTime() - began).toSeconds() + " s)");
        out.flush();
    }

    private int summary(String id, TreeSet<String> targeted, Map<String, FleetStatus> done) {
        long applied = done.values().stream().filter(s -> FleetStatus.APPLIED.equals(s.state())).count();
        long refused = done.values().stream().filter(s -> FleetStatus.REFUSED.equals(s.state())).count();
        long rolledBack = done.values().stream().filter(s -> FleetStatus.ROLLED_BACK.equals(s.state())).count();
        List<String> silent = targeted.stream().filter(g -> !done.containsKey(g)).toList();
        out.println("fleet deployment " + id + ": " + applied + " of " + targeted.size() + " gateway(s) applied, " + refused
                + " refused, " + rolledBack + " rolled back, " + silent.size() + " did not answer within "
                + timeout.toSeconds() + " s");
        Map<String, List<String>> byReason = new TreeMap<>();
        done.forEach((gateway, s) -> {
            if (!FleetStatus.APPLIED.equals(s.state())) {
                byReason.computeIfAbsent(s.state() + ": " + (s.reasons().isEmpty() ? "(no reason given)"
                        : String.join("; ", s.reasons())), k -> new ArrayList<>()).add(gateway);
            }
        });
        byReason.forEach((reason, gateways) -> out.println("  " + reason + " — " + names(gateways)));
        if (!silent.isEmpty()) {
            out.println("  no answer (offline? they take it up when they return) — " + names(silent));
        }
        return applied == targeted.size() ? OK : FAILED;
    }

    private static String names(List<String> gateways) {
        return gateways.size() <= 10 ? String.join(", ", gateways)
                : String.join(", ", gateways.subList(0, 10)) + " and " + (gateways.size() - 10) + " more";
    }
}
