package io.edgefn.app.gateway;

import io.edgefn.app.fleet.FleetAgent;
import io.edgefn.app.fleet.FleetTags;
import io.edgefn.deploy.Deployment;
import io.edgefn.hub.ClientAuthenticator;
import io.edgefn.hub.EdgeHub;
import io.edgefn.hub.HubTaps;
import io.edgefn.hub.HubOptions;
import io.edgefn.hub.identity.Authenticator;
import io.edgefn.hub.identity.DeviceRegistry;
import io.edgefn.hub.identity.GatewayCertificates;
import io.edgefn.hub.identity.GatewayIdentity;
import io.edgefn.hub.twin.DeviceManagement;
import io.edgefn.hub.twin.TwinStore;
import io.edgefn.runtime.EdgeHost;
import io.edgefn.runtime.HostException;
import io.edgefn.runtime.UpstreamRecords;
import io.edgefn.upstream.ManagementRelay;
import io.edgefn.upstream.UpstreamConfig;
import io.edgefn.upstream.UpstreamLink;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole gateway in one process: the host (functions, routes, offline buffer, devices), the edge
 * hub (the IoT Hub-compatible MQTT server leaf devices and external modules connect to), and the
 * upstream link (draining {@code $upstream} to the cloud), on one shared Vert.x; device management
 * ({@link #management()}: twins, direct methods, cloud-to-device messages) between the hub and the
 * link. This is what
 * {@code edgefn run} starts; tests and benchmarks start it the same way.
 *
 * <p>Start order: the gateway's identity and certificates (made on first need), the host, then the
 * hub (so that no client is acknowledged before the routes are bound), then the upstream link.
 * Stop order is the reverse: the link first (what it had in flight stays in the buffer), then the
 * hub (no new messages), then the host (drains its functions, closes the buffer cleanly).
 *
 * <p>{@link #start()} once; {@link #close()} from any thread, idempotent.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Builder config;
    private Vertx vertx;
    private GatewayIdentity identity;
    private GatewayCertificates certificates;
    private DeviceRegistry registry;
    private volatile EdgeHost host;
    private volatile EdgeHub hub;
    private volatile UpstreamLink upstream;
    private volatile DeviceManagement management;
    private ManagementRelay relay;
    private ScheduledThreadPoolExecutor relayTimer;
    private volatile FunctionTwins functionTwins;
    private volatile FleetAgent fleet;
    private Map<String, String> tags = Map.of();
    private boolean closed;

    private Gateway(Builder config) {
        this.config = config;
    }

    /** A builder; a deployment and a data directory are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the gateway; on failure everything already started is stopped again and the failure
     * propagates.
     */
    public Gateway start() {
        try {
            identity = GatewayIdentity.loadOrCreate(config.dataDirectory,
                    config.gatewayId != null ? config.gatewayId : GatewayIdentity.machineHostname(), config.hostname);
            if (config.gatewayId != null && !config.gatewayId.equals(identity.gatewayId())) {
                throw new HostException("the data directory " + config.dataDirectory + " belongs to gateway '"
                        + identity.gatewayId() + "', not '" + config.gatewayId + "': the identities and connection strings "
                        + "it holds name that gateway; drop --gateway-id or use another --data-dir", (Throwable) null);
            }
            if (config.upstream != null && config.upstream.mode() == UpstreamConfig.Mode.IOT_HUB
                    && !config.upstream.host().equalsIgnoreCase(identity.hubHostName())) {
                // Connection strings handed out from now on name the IoT Hub the gateway speaks for.
                identity = GatewayIdentity.attachToIotHub(config.dataDirectory, config.upstream.host());
            }
            registry = DeviceRegistry.open(config.dataDirectory);
            if (config.mqttPort >= 0 || config.httpPort >= 0) {
                // The MQTT TLS port and the management API serve the same certificate.
                certificates = GatewayCertificates.loadOrCreate(config.dataDirectory, identity, config.clock);
                certificates.changes().forEach(change -> LOG.info("certificates: {}", change));
            }
            vertx = Vertx.vertx();
            // The hub is the functions' local MQTT broker; it attaches to these taps once it runs.
            HubTaps taps = new HubTaps();
            EdgeHost.Builder builder = EdgeHost.builder();
            if (config.functionHttpHost != null) {
                builder.functionHttp(config.functionHttpHost, config.functionHttpPort);
            }
            if (config.httpPort >= 0) {
                builder.httpBind(config.httpBind)
                        .httpTls(certificates.serverKeyFile(), certificates.serverCertificateFile());
            }
            host = builder
                    .deployment(config.deployment)
                    .dataDirectory(config.dataDirectory)
                    .gatewayId(identity.gatewayId())
                    .clock(config.clock)
                    .httpPort(config.httpPort)
                    .startTimeout(config.startTimeout)
                    .traceRoutes(config.tracedRoutes)
                    .allowUnsigned(config.allowUnsigned)
                    .vertx(vertx)
                    .localBroker(taps)
                    .statusSection("hub", () -> hub == null ? null : StatusSections.hub(hub.stats()))
                    .statusSection("upstream", () -> upstream == null ? null : StatusSections.upstream(upstream.stats()))
                    .statusSection("fleet", () -> fleet == null ? null : StatusSections.fleet(fleet))
                    .meterBinder(new HubMeters(() -> hub, () -> upstream, () -> management, () -> host))
                    .onReportedPatch((function, patch) -> {
                        FunctionTwins twins = functionTwins;
                        if (twins != null) { // before: copied in when they attach
                            twins.reported(function, patch);
                        }
                    })
                    .build()
                    .start();
            HubOptions.Builder hubOptions = HubOptions.builder().gatewayId(identity.gatewayId())
                    .tlsPort(config.mqttPort).plainPort(config.mqttPlainPort);
            if (certificates != null) {
                hubOptions.serverCertificate(certificates.serverCertificateFile(), certificates.serverKeyFile());
            }
            String gatewayId = identity.gatewayId();
            management = DeviceManagement.builder().store(TwinStore.open(config.dataDirectory)).clock(config.clock)
                    .knownIdentities(id -> id.deviceId().equals(gatewayId)
                            || registry.find(id.deviceId(), id.moduleId()).isPresent())
                    .build();
            hub = EdgeHub.start(vertx, hubOptions.build(), host, host::moduleInboxes,
                    ClientAuthenticator.of(new Authenticator(identity, registry, config.clock)), management, config.clock,
                    taps);
            relayTimer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "edgefn-management-timer");
                t.setDaemon(true);
                return t;
            });
            functionTwins = FunctionTwins.attach(host, management, gatewayId, relayTimer);
            if (config.upstream != null) {
                relay = ManagementRelay.create(management, config.upstream.mode(), gatewayId, relayTimer);
                upstream = UpstreamLink.start(config.upstream, host.buffer().cursor(UpstreamRecords.CURSOR), gatewayId,
                        config.clock, new SecureRandom(), relay);
                relay.attach(upstream);
            }
            tags = FleetTags.resolve(config.dataDirectory, config.tags);
            if (config.upstream != null && config.fleet && config.upstream.mode() == UpstreamConfig.Mode.BROKER) {
                fleet = FleetAgent.start(config.upstream, gatewayId, tags, host, config.dataDirectory, config.clock,
                        new SecureRandom());
            } else if (config.upstream != null && config.fleet) {
                LOG.info("fleet deployments need an MQTT broker upstream; {} is an IoT Hub: none are taken", config.upstream);
            }
            return this;
        } catch (RuntimeException | Error e) {
            try {
                close();
            } catch (RuntimeException | Error closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** The host. */
    public EdgeHost host() {
        return host;
    }

    /** The edge hub. */
    public EdgeHub hub() {
        return hub;
    }

    /** The upstream link, or null when none was configured. */
    public UpstreamLink upstream() {
        return upstream;
    }

    /**
     * Device management: the gateway's copy of every twin, direct methods and cloud-to-device
     * messages; where functions register as {@code ManagedTarget}s.
     */
    public DeviceManagement management() {
        return management;
    }

    /** The gateway's identity (id, hostname, the hub name it hands out). */
    public GatewayIdentity identity() {
        return identity;
    }

    /** The gateway's CA and server certificate, or null when TLS MQTT is off. */
    public GatewayCertificates certificates() {
        return certificates;
    }

    /** The gateway's tags ({@code --tag}, recorded in the data directory), for fleet deployments' targets. */
    public Map<String, String> tags() {
        return tags;
    }

    /** The fleet agent, or null when there is no MQTT broker upstream (see docs/deployment.md "Fleets"). */
    public FleetAgent fleet() {
        return fleet;
    }

    /** The TLS MQTT port, or -1 when off. */
    public int mqttPort() {
        return hub == null ? -1 : hub.tlsPort();
    }

    /** The plain MQTT port, or -1 when off. */
    public int mqttPlainPort() {
        return hub == null ? -1 : hub.plainPort();
    }

    /** Stops the fleet agent, the upstream link, device management's relay, the hub, device management and the host, in that order. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        AutoCloseable stopRelayTimer = relayTimer == null ? null : relayTimer::shutdownNow;
        for (AutoCloseable part : new AutoCloseable[] {fleet, upstream, relay, stopRelayTimer, functionTwins, hub, management, host}) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new HostException("stopping the gateway failed: " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("closing Vert.x took too long: {}", e.toString());
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Configures a {@link Gateway}. Not thread-safe. */
    public static final class Builder {
        private Deployment deployment;
        private Path dataDirectory;
        private boolean allowUnsigned;
        private String gatewayId;
        private String hostname;
        private int mqttPort = 8883;
        private int mqttPlainPort = -1;
        private int httpPort = -1;
        private String httpBind = "127.0.0.1";
        private String functionHttpHost;
        private int functionHttpPort;
        private UpstreamConfig upstream;
        private Duration startTimeout = Duration.ofSeconds(10);
        private Set<String> tracedRoutes = Set.of();
        private InstantSource clock = InstantSource.system();
        private Map<String, String> tags;
        private boolean fleet = true;

        private Builder() {
        }

        /** The deployment to run (required). */
        public Builder deployment(Deployment deployment) {
            this.deployment = Objects.requireNonNull(deployment, "deployment");
            return this;
        }

        /**
         * Whether live deployment changes may apply unsigned deployments although the gateway
         * trusts signing keys (default false; {@code edgefn run --allow-unsigned}, development only).
         */
        public Builder allowUnsigned(boolean allowUnsigned) {
            this.allowUnsigned = allowUnsigned;
            return this;
        }

        /** Where the gateway keeps its state (required). */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
            return this;
        }

        /** The gateway's id; recorded in the data directory on first use (default: what is recorded, else the machine's host name). */
        public Builder gatewayId(String gatewayId) {
            this.gatewayId = gatewayId;
            return this;
        }

        /** The host name devices connect to; a change reissues the server certificate (default: what is recorded). */
        public Builder hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        /** The TLS MQTT port: 0 picks a free one, -1 turns it off (default 8883). */
        public Builder mqttPort(int mqttPort) {
            this.mqttPort = port("mqttPort", mqttPort);
            return this;
        }

        /** The plain MQTT port, for development: 0 picks a free one, -1 (default) turns it off. */
        public Builder mqttPlainPort(int mqttPlainPort) {
            this.mqttPlainPort = port("mqttPlainPort", mqttPlainPort);
            return this;
        }

        /**
         * The management API's port: 0 picks a free one, -1 (default) turns it off. Served over TLS
         * with the gateway's server certificate (the MQTT TLS port's), on {@link #httpBind}.
         */
        public Builder httpPort(int httpPort) {
            this.httpPort = port("httpPort", httpPort);
            return this;
        }

        /**
         * The address the management API listens on: {@code 127.0.0.1} (default, loopback only) or
         * another, e.g. {@code 0.0.0.0} (see {@link EdgeHost.Builder#httpBind}).
         */
        public Builder httpBind(String address) {
            if (address == null || address.isBlank()) {
                throw new IllegalArgumentException("httpBind needs an address, e.g. 127.0.0.1 or 0.0.0.0");
            }
            this.httpBind = address.trim();
            return this;
        }

        /**
         * Serves the functions' {@code @HttpTrigger} paths on {@code bindAddress:port} too, each
         * request with its function's token (see {@link EdgeHost.Builder#functionHttp}).
         */
        public Builder functionHttp(String bindAddress, int port) {
            this.functionHttpHost = bindAddress;
            this.functionHttpPort = port("functionHttpPort", port);
            return this;
        }

        /** Where to forward {@code $upstream}; null (default) holds it in the buffer. */
        public Builder upstream(UpstreamConfig upstream) {
            this.upstream = upstream;
            return this;
        }

        /** How long a function's constructor may run at start. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
            return this;
        }

        /** Routes whose decisions are logged. */
        public Builder traceRoutes(Set<String> tracedRoutes) {
            this.tracedRoutes = Set.copyOf(tracedRoutes);
            return this;
        }

        /**
         * The gateway's tags ({@code edgefn run --tag KEY=VALUE}), recorded in the data directory;
         * null (default) keeps the recorded ones.
         */
        public Builder tags(Map<String, String> tags) {
            this.tags = tags == null ? null : Map.copyOf(tags);
            return this;
        }

        /**
         * Whether the gateway takes fleet deployments from its upstream MQTT broker (default true;
         * only with an {@code mqtt://} or {@code mqtts://} upstream).
         */
        public Builder fleet(boolean fleet) {
            this.fleet = fleet;
            return this;
        }

        /** The clock (default: the system's). */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** A gateway with this configuration; call {@link Gateway#start()} on it. */
        public Gateway build() {
            if (deployment == null || dataDirectory == null) {
                throw new IllegalStateException("a Gateway needs a deployment and a data directory");
            }
            if (mqttPort >= 0 && mqttPort == mqttPlainPort && mqttPort != 0) {
                throw new IllegalArgumentException("--mqtt-port and --mqtt-plain-port are both " + mqttPort);
            }
            return new Gateway(this);
        }

        private static int port(String name, int port) {
            if (port < -1 || port > 65535) {
                throw new IllegalArgumentException(name + " must be -1 (off), 0 (any) or a port number, was " + port);
            }
            return port;
        }
    }
}
