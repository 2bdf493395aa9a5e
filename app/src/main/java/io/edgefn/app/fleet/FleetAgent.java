package io.edgefn.app.fleet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.deploy.Deployment;
import io.edgefn.deploy.DeploymentException;
import io.edgefn.deploy.PackageRef;
import io.edgefn.deploy.SignaturePolicy;
import io.edgefn.deploy.TrustedKeys;
import io.edgefn.runtime.DeployOutcome;
import io.edgefn.runtime.EdgeHost;
import io.edgefn.triggers.Backoff;
import io.edgefn.upstream.UpstreamConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway's side of fleet deployments: its own MQTT connection to the upstream broker
 * (reconnecting with {@link Backoff}), on which it announces itself and its tags (retained on
 * {@link FleetTopics#gateway}, its will marking it offline), subscribes to the retained
 * {@link FleetTopics#DEPLOYMENT}, and — when the deployment targets its tags and it has not taken
 * that fleet deployment up yet — writes the inline jars into the data directory
 * ({@code fleet/deployments/<id>/}), checks the signature as a local deploy does (never allowing
 * unsigned), applies it through {@link EdgeHost#deployments()} and reports every step on
 * {@link FleetTopics#status} (retained). The last status is recorded in {@code fleet/state.json},
 * so a restarted gateway neither applies the same fleet deployment twice nor forgets to report.
 * A gateway that was offline gets the retained deployment when it connects again.
 *
 * <p>No failure stops the gateway: a bad message, a refused deployment or a lost broker is
 * logged and reported. Threads: one connection thread and one worker that applies (only the
 * latest deployment that arrived while it was busy). {@link #close()} from any thread, idempotent.
 */
public final class FleetAgent implements AutoCloseable {

    /** The file in the data directory holding the last status reported. */
    public static final String STATE_FILE = "fleet/state.json";

    /** Where each fleet deployment's inline jars are written, under the data directory. */
    public static final String DEPLOYMENTS_DIR = "fleet/deployments";

    private static final Logger LOG = LoggerFactory.getLogger(FleetAgent.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UpstreamConfig config;
    private final String gatewayId;
    private final Map<String, String> tags;
    private final EdgeHost host;
    private final Path dataDirectory;
    private final Backoff backoff;
    private final InstantSource clock;
    private final ExecutorService worker;
    private final Thread connection;
    private final AtomicReference<byte[]> pending = new AtomicReference<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile MqttClient client;
    private volatile FleetStatus last;
    private volatile boolean closed;

    private FleetAgent(UpstreamConfig config, String gatewayId, Map<String, String> tags, EdgeHost host, Path dataDirectory,
                       InstantSource clock, RandomGenerator random) {
        this.config = config;
        this.clock = clock;
        this.gatewayId = gatewayId;
        this.tags = Map.copyOf(tags);
        this.host = host;
        this.dataDirectory = dataDirectory;
        this.backoff = new Backoff(Backoff.DEFAULT_INITIAL, Backoff.DEFAULT_CAP, random);
        this.last = readState(dataDirectory);
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "edgefn-fleet-apply");
            t.setDaemon(true);
            return t;
        });
        this.connection = new Thread(this::connectLoop, "edgefn-fleet-link");
        this.connection.setDaemon(true);
    }

    /**
     * Starts the agent of gateway {@code gatewayId} with {@code tags} on the broker of {@code config}
     * (which must be {@link UpstreamConfig.Mode#BROKER}). Returns at once; the connection is made
     * (and remade) in the background. {@code clock} stamps the messages ({@code "at"}); durations
     * are measured on the monotonic clock; {@code random} draws the reconnect delays.
     */
    public static FleetAgent start(UpstreamConfig config, String gatewayId, Map<String, String> tags, EdgeHost host,
                                   Path dataDirectory, InstantSource clock, RandomGenerator random) {
        FleetMqtt.options(config); // refuses an IoT Hub target before any thread starts
        FleetAgent agent = new FleetAgent(Objects.requireNonNull(config, "config"), Objects.requireNonNull(gatewayId, "gatewayId"),
                tags, Objects.requireNonNull(host, "host"), dataDirectory, Objects.requireNonNull(clock, "clock"), random);
        agent.connection.start();
        return agent;
    }

    /** The gateway's tags. */
    public Map<String, String> tags() {
        return tags;
    }

    /** The last status this gateway reported, or null before its first fleet deployment. */
    public FleetStatus lastStatus() {
        return last;
    }

    /** Whether the agent is connected to the broker now. */
    public boolean connected() {
        MqttClient c = client;
        return c != null && c.isConnected();
    }

    private byte[] announcement(boolean online) {
        ObjectNode n = JSON.createObjectNode().put("gatewayId", gatewayId).put("online", online);
        ObjectNode t = n.putObject("tags");
        tags.forEach(t::put);
        n.put("at", clock.instant().toString());
        return n.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private void connectLoop() {
        while (!closed) {
            long connectedAt = -1;
            MqttClient c = null;
            CountDownLatch lost = new CountDownLatch(1);
            try {
                c = new MqttClient(config.serverUri(), "edgefn-fleet-" + gatewayId, new MemoryPersistence());
                c.setCallback(new MqttCallback() {
                    @Override
                    public void connectionLost(Throwable cause) {
                        LOG.warn("fleet: lost the broker {}: {}", config.serverUri(), String.valueOf(cause));
                        lost.countDown();
                    }

                    @Override
                    public void messageArrived(String topic, MqttMessage message) {
                        if (message.getPayload().length > 0) {
                            offer(message.getPayload());
                        }
                    }

                    @Override
                    public void deliveryComplete(IMqttDeliveryToken token) {
                    }
                });
                MqttConnectOptions options = FleetMqtt.options(config);
                options.setWill(FleetTopics.gateway(gatewayId), announcement(false), 1, true);
                c.connect(options);
                connectedAt = System.nanoTime();
                client = c;
                c.publish(FleetTopics.gateway(gatewayId), announcement(true), 1, true);
                FleetStatus reported = last;
                if (reported != null) {
                    c.publish(FleetTopics.status(gatewayId), reported.toJson(), 1, true);
                }
                c.subscribe(FleetTopics.DEPLOYMENT, 1);
                LOG.info("fleet: connected to {} as gateway '{}' with tags {}", config.serverUri(), gatewayId, tags);
                while (!closed && !lost.await(200, TimeUnit.MILLISECONDS)) {
                    // until the connection is lost or the agent closes
                }
            } catch (MqttException e) {
                LOG.warn("fleet: cannot connect to {}: {}", config.serverUri(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("fleet: the connection to {} failed: {}", config.serverUri(), e.toString());
            } finally {
                client = null;
                if (c != null) {
                    closeQuietly(c, closed);
                }
            }
            if (closed) {
                return;
            }
            if (connectedAt >= 0 && System.nanoTime() - connectedAt >= Backoff.DEFAULT_STABLE_AFTER.toNanos()) {
                backoff.reset();
            }
            Duration delay = backoff.next();
            try {
                if (closing.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void closeQuietly(MqttClient c, boolean goodbye) {
        try {
            if (c.isConnected()) {
                if (goodbye) {
                    c.publish(FleetTopics.gateway(gatewayId), announcement(false), 1, true);
                }
                c.disconnect(200);
            }
        } catch (MqttException | RuntimeException e) {
            LOG.debug("fleet: disconnecting: {}", e.toString());
        }
        try {
            c.close(true);
        } catch (MqttException | RuntimeException e) {
            LOG.debug("fleet: closing the client: {}", e.toString());
        }
    }

    /** Keeps only the newest message that arrived while the worker was busy. */
    private void offer(byte[] payload) {
        if (pending.getAndSet(payload) == null && !closed) {
            try {
                worker.execute(this::drainPending);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the agent is closing: the retained deployment comes again at the next start
            }
        }
    }

    /** The worker's task: the newest message that arrived, if any is left. */
    private void drainPending() {
        byte[] next = pending.getAndSet(null);
        if (next != null) {
            try {
                handle(next);
            } catch (RuntimeException | Error e) {
                LOG.error("fleet: handling a fleet deployment failed", e);
            }
        }
    }

    private void handle(byte[] payload) {
        long began = System.nanoTime();
        FleetDeployment fleet;
        try {
            fleet = FleetDeployment.parse(payload);
        } catch (IllegalArgumentException e) {
            String id = FleetDeployment.idOf(payload);
            LOG.warn("fleet: refused a fleet deployment: {}", e.getMessage());
            if (id != null && !handled(id)) {
                report(new FleetStatus(gatewayId, id, null, FleetStatus.REFUSED, List.of(e.getMessage()), -1, -1,
                        millisSince(began), clock.instant().toString()), true);
            }
            return;
        }
        if (!FleetTags.matches(fleet.target(), tags)) {
            LOG.info("fleet: deployment {} targets {}; this gateway's tags {} do not match: ignored", fleet.id(), fleet.target(), tags);
            return;
        }
        if (handled(fleet.id())) {
            LOG.debug("fleet: deployment {} was taken up already", fleet.id());
            return;
        }
        LOG.info("fleet: applying fleet deployment {} (version {})", fleet.id(), fleet.version());
        report(new FleetStatus(gatewayId, fleet.id(), fleet.version(), FleetStatus.APPLYING, List.of(), -1, -1,
                millisSince(began), clock.instant().toString()), false);
        FleetStatus result = apply(fleet, began);
        if (result == null) {
            LOG.info("fleet: the gateway stops while deployment {} is applied; it is taken up again at the next start", fleet.id());
            return;
        }
        if (result.reasons().isEmpty()) {
            LOG.info("fleet: deployment {} {} in {} ms", fleet.id(), result.state(), result.totalMillis());
        } else {
            LOG.warn("fleet: deployment {} {}: {}", fleet.id(), result.state(), String.join("; ", result.reasons()));
        }
        report(result, true);
    }

    private boolean handled(String id) {
        FleetStatus s = last;
        return s != null && s.done() && s.fleetDeployment().equals(id);
    }

    private FleetStatus apply(FleetDeployment fleet, long began) {
        List<String> problems = new ArrayList<>();
        Deployment deployment;
        try {
            Path base = stage(fleet, problems);
            if (!problems.isEmpty()) {
                return refused(fleet, problems, began);
            }
            deployment = Deployment.parse(fleet.documentBytes(), "fleet deployment " + fleet.id(), base);
        } catch (DeploymentException e) {
            e.problems().forEach(p -> problems.add(p.toString()));
            return refused(fleet, problems, began);
        } catch (IOException e) {
            return refused(fleet, List.of("cannot write its packages into " + dataDirectory.resolve(DEPLOYMENTS_DIR) + ": "
                    + e.getMessage()), began);
        }
        for (PackageRef ref : deployment.packages().values()) {
            FleetDeployment.InlinePackage inline = fleet.packages().get(ref.name());
            if (ref.file() != null && (inline == null || !inline.file().equals(ref.file()))) {
                problems.add("package '" + ref.name() + "' names the file " + ref.file()
                        + " but the fleet deployment does not carry it: publish it with edgefn fleet-deploy, or name it by url and sha256");
            }
        }
        if (!problems.isEmpty()) {
            return refused(fleet, problems, began);
        }
        try {
            // As a local deploy checks it, but never with --allow-unsigned.
            TrustedKeys trusted = TrustedKeys.of(dataDirectory);
            if (deployment.signature() == null && !trusted.isEmpty()) {
                return refused(fleet, List.of("it is not signed, and this gateway runs only deployments signed by a key it"
                        + " trusts (" + String.join(", ", trusted.ids()) + "): sign it with `edgefn sign --key KEY DEPLOYMENT`"
                        + " before publishing it (--allow-unsigned never applies to fleet deployments)"), began);
            }
            SignaturePolicy.check(deployment, trusted, false);
        } catch (DeploymentException e) {
            e.problems().forEach(p -> problems.add(p.toString()));
            return refused(fleet, problems, began);
        } catch (IOException | RuntimeException e) {
            return refused(fleet, List.of("cannot check the signature: " + e.getMessage()), began);
        }
        DeployOutcome outcome;
        try {
            outcome = host.deployments().apply(deployment).get();
        } catch (InterruptedException e) {
            // The gateway is stopping: nothing is recorded, so it takes the deployment up again when it starts.
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return refused(fleet, List.of("applying failed: " + e.getCause()), began);
        }
        String state = switch (outcome.state()) {
            case APPLIED -> FleetStatus.APPLIED;
            case ROLLED_BACK -> FleetStatus.ROLLED_BACK;
            default -> FleetStatus.REFUSED;
        };
        return new FleetStatus(gatewayId, fleet.id(), fleet.version(), state, outcome.reasons(), outcome.applyMillis(),
                outcome.gateMillis(), millisSince(began), clock.instant().toString());
    }

    /**
     * Writes the inline jars where the document's relative {@code file}s point, under a directory
     * of this fleet deployment's own (kept: the host's history names it), and returns the
     * directory the document resolves against.
     */
    private Path stage(FleetDeployment fleet, List<String> problems) throws IOException {
        Path dir = dataDirectory.resolve(DEPLOYMENTS_DIR).resolve(fleet.id()).toAbsolutePath().normalize();
        int depth = 0;
        for (Map.Entry<String, FleetDeployment.InlinePackage> e : fleet.packages().entrySet()) {
            Path file;
            try {
                file = Path.of(e.getValue().file());
            } catch (java.nio.file.InvalidPathException bad) {
                problems.add("package '" + e.getKey() + "': file '" + e.getValue().file() + "' is not a path");
                continue;
            }
            if (file.isAbsolute()) {
                problems.add("package '" + e.getKey() + "': file " + file + " is absolute; a fleet deployment names its"
                        + " package files relative to the document");
                continue;
            }
            int up = 0;
            for (Path part : file.normalize()) {
                if (!part.toString().equals("..")) {
                    break;
                }
                up++;
            }
            depth = Math.max(depth, up);
        }
        if (!problems.isEmpty()) {
            return dir;
        }
        // '../x.jar' must land inside this deployment's directory too: the document sits deep enough.
        Path base = dir.resolve("doc");
        for (int i = 0; i < depth; i++) {
            base = base.resolve("doc");
        }
        Files.createDirectories(base);
        for (FleetDeployment.InlinePackage inline : fleet.packages().values()) {
            Path target = base.resolve(inline.file()).normalize();
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.write(tmp, inline.bytes());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return base;
    }

    private FleetStatus refused(FleetDeployment fleet, List<String> reasons, long began) {
        return new FleetStatus(gatewayId, fleet.id(), fleet.version(), FleetStatus.REFUSED, reasons, -1, -1, millisSince(began),
                clock.instant().toString());
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    /** Publishes {@code status} (retained) when connected; an end state is recorded first, so it is reported on every connect. */
    private void report(FleetStatus status, boolean record) {
        last = status;
        if (record) {
            writeState(status);
        }
        MqttClient c = client;
        if (c == null || !c.isConnected()) {
            return; // reported when the connection is back
        }
        try {
            c.publish(FleetTopics.status(gatewayId), status.toJson(), 1, true);
        } catch (MqttException | RuntimeException e) {
            LOG.warn("fleet: cannot report {} of {} now (reported when connected again): {}", status.state(),
                    status.fleetDeployment(), e.toString());
        }
    }

    private void writeState(FleetStatus status) {
        Path file = dataDirectory.resolve(STATE_FILE);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("state.json.tmp");
            Files.write(tmp, status.toJson());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("fleet: cannot record the status in {}: {}", file, e.toString());
        }
    }

    private static FleetStatus readState(Path dataDirectory) {
        Path file = dataDirectory.resolve(STATE_FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return FleetStatus.parse(Files.readAllBytes(file));
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("fleet: ignoring the unreadable {}: {}", file, e.toString());
            return null;
        }
    }

    /** Marks the gateway offline on the broker, disconnects, and stops the worker (an apply in progress is interrupted). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing.countDown();
        worker.shutdownNow();
        try {
            connection.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
