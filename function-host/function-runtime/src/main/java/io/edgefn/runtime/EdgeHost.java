package io.edgefn.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefn.api.DeviceCommands;
import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.bindings.BodyCodec;
import io.edgefn.bindings.JsonSettings;
import io.edgefn.buffer.BufferStats;
import io.edgefn.buffer.OfflineBuffer;
import io.edgefn.deploy.Deployment;
import io.edgefn.deploy.DeviceEntry;
import io.edgefn.devices.DeviceConfig;
import io.edgefn.devices.TransportFactory;
import io.edgefn.routes.RouteCompilationException;
import io.edgefn.routes.RouteTable;
import io.edgefn.runtime.internal.DataDirectory;
import io.edgefn.runtime.internal.DeploymentPlan;
import io.edgefn.runtime.internal.DeviceHub;
import io.edgefn.runtime.internal.DurableInput;
import io.edgefn.runtime.internal.FunctionRuntime;
import io.edgefn.runtime.internal.FunctionStats;
import io.edgefn.runtime.internal.FunctionWiring;
import io.edgefn.runtime.internal.HostExecutors;
import io.edgefn.runtime.internal.HostServices;
import io.edgefn.runtime.internal.LoadedPackage;
import io.edgefn.runtime.internal.ManagementApi;
import io.edgefn.runtime.internal.Router;
import io.edgefn.runtime.internal.UpstreamStore;
import io.edgefn.triggers.TimerScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edgefn host: one process holding a gateway's deployment — its functions, route table,
 * offline buffer and devices. Built with {@link #builder()}, started with {@link Builder#start()}
 * semantics via {@link #start()}, stopped with {@link #close()}.
 *
 * <p>Starting validates the whole deployment first (packages verified, routes compiled against
 * the functions and modules it really has) and refuses it with every problem listed before any
 * user code runs. Then it loads each package into its own class loader and Micronaut context,
 * starts the functions (with restart backoff), their timers and the devices. Closing stops the
 * devices and timers, drains what the functions have queued and running, and closes the buffer
 * cleanly.
 *
 * <p>Thread-safe: {@link #submit}, {@link #stats()} from any thread; {@link #start()} and
 * {@link #close()} once each.
 */
public final class EdgeHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeHost.class);

    private final Builder config;
    private final List<LoadedPackage> packages = new ArrayList<>();
    private final Map<String, FunctionRuntime> functions = new LinkedHashMap<>();
    private final Map<String, DurableInput> durableInputs = new LinkedHashMap<>();
    private DataDirectory dataDirectory;
    private OfflineBuffer buffer;
    private UpstreamStore upstream;
    private Router router;
    private DeviceHub devices;
    private TimerScheduler timers;
    private HostExecutors executors;
    private ManagementApi management;
    private volatile boolean closed;
    private volatile long lastHeld;

    private EdgeHost(Builder config) {
        this.config = config;
    }

    /** A builder; a deployment and a data directory are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Validates and starts the deployment; returns this host. On failure everything already
     * started is stopped again and a {@link HostException} lists the problems.
     */
    public EdgeHost start() {
        try {
            doStart();
            return this;
        } catch (RuntimeException | Error e) {
            try {
                close();
            } catch (RuntimeException | Error closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof RouteCompilationException rce) {
                HostException refused = new HostException("the deployment's routes are invalid; nothing was started",
                        rce.diagnostics().stream().map(Object::toString).toList());
                refused.initCause(rce);
                throw refused;
            }
            throw e;
        }
    }

    private void doStart() {
        Deployment deployment = config.deployment;
        dataDirectory = DataDirectory.lock(config.dataDirectory);
        // Packages are verified and loaded from copies of the host's own: see DeploymentPlan.
        DeploymentPlan plan = DeploymentPlan.inspect(deployment, dataDirectory.root().resolve("packages"));
        RouteTable table = plan.compileRoutes();
        plan.routeWarnings().forEach(w -> LOG.warn("route warning: {}", w));
        Set<String> safety = plan.safetyCritical(table);

        upstream = UpstreamStore.open(dataDirectory.buffer(), deployment.storeAndForward(), config.clock);
        buffer = upstream.buffer();
        executors = HostExecutors.create();
        ScheduledExecutorService scheduler = executors.scheduler();

        List<DeviceConfig> deviceConfigs = new ArrayList<>();
        for (DeviceEntry d : deployment.devices().values()) {
            DeviceConfig c = new DeviceConfig(d.id(), d.driver(), d.port(), d.baud(),
                    d.failSafeMillis() == null ? null : Duration.ofMillis(d.failSafeMillis()), Map.of());
            deviceConfigs.add(c);
        }
        devices = new DeviceHub(deviceConfigs, config.gatewayId, config.clock, scheduler, config.transports,
                this::submitFromDevice, config.listener);

        HostServices services = new HostServices(config.gatewayId, config.clock, scheduler, executors.workers(),
                executors.safetyWorkers(),
                new BodyCodec(), devices, this::routeOutput, config.listener, config.restartPolicy, config.outputWait);
        timers = new TimerScheduler(scheduler, Runnable::run, config.clock,
                (name, failure) -> LOG.warn("timer {} failed: {}", name, failure.toString()));

        Map<String, JsonNode> desired = deployment.desired();
        List<FunctionWiring> wirings = new ArrayList<>();
        for (var entry : plan.packages().entrySet()) {
            LoadedPackage loaded = LoadedPackage.load(entry.getKey(), entry.getValue(), EdgeHost.class.getClassLoader());
            packages.add(loaded);
            JsonNode packageSettings = deployment.packages().get(entry.getKey()).settings();
            for (DeploymentPlan.PlannedFunction f : plan.functions().values()) {
                if (!f.packageName().equals(entry.getKey())) {
                    continue;
                }
                String name = f.descriptor().name();
                JsonSettings settings = JsonSettings.of(name, functionSettings(packageSettings, name), desired.get(name));
                FunctionWiring wiring = FunctionWiring.wire(f.descriptor(), loaded, services, settings,
                        safety.contains(name), config.queueCapacity);
                wirings.add(wiring);
                functions.put(name, wiring.runtime());
            }
        }
        durableInputs.putAll(DurableInput.openAll(table, functions,
                dataDirectory.root().resolve("inputs"), config.clock, config.queueWait));
        router = new Router(table, functions, durableInputs, upstream, config.listener, config.queueWait);
        router.traceRoutes(config.tracedRoutes);
        for (FunctionWiring w : wirings) {
            w.runtime().start();
            w.startTimers(timers);
        }
        durableInputs.values().forEach(DurableInput::start);
        devices.start();
        if (config.httpPort >= 0) {
            management = ManagementApi.start(config.httpPort, this::stats);
            dataDirectory.publishHttpPort(management.port());
        }
        LOG.info("host {} started: {} function(s) ({} on the safety path), {} route(s), {} device(s)",
                config.gatewayId, functions.size(), safety.size(), table.routes().size(), deviceConfigs.size());
    }

    /**
     * A package's settings for one function: the object under the function's name when the
     * package's settings have one, else the package's settings as a whole.
     */
    private static JsonNode functionSettings(JsonNode packageSettings, String function) {
        if (packageSettings != null && packageSettings.isObject() && packageSettings.get(function) != null
                && packageSettings.get(function).isObject()) {
            return packageSettings.get(function);
        }
        return packageSettings;
    }

    private void submitFromDevice(Message message) {
        if (!closed) {
            router.routeFromDevice(message).whenComplete((ok, failure) -> {
                if (failure != null) {
                    warnDeviceRoutingFailure(message, failure);
                }
            });
        }
    }

    private volatile long lastDeviceRoutingWarning;

    /** At most one warning every 10 s: a full queue at 1 kHz must not flood the log (the router counts each). */
    private void warnDeviceRoutingFailure(Message message, Throwable failure) {
        long now = System.nanoTime();
        if (now - lastDeviceRoutingWarning > 10_000_000_000L) {
            lastDeviceRoutingWarning = now;
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            LOG.warn("a message from device {} was not taken by all its sinks ({} undeliverable so far): {}",
                    message.systemProperty(SystemProperties.CONNECTION_DEVICE_ID), router.undeliverable(), cause.toString());
        }
    }

    private CompletableFuture<Void> routeOutput(Message message) {
        return router.route(message);
    }

    /**
     * Routes {@code message} as telemetry entering the gateway (what a leaf device sends);
     * completes when every sink took it. {@code enqueuedTime} is set when missing.
     */
    public CompletableFuture<Void> submit(Message message) {
        if (closed || router == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the host is not running"));
        }
        if (message.systemProperty(SystemProperties.ENQUEUED_TIME) == null) {
            message = message.toBuilder().systemProperty(SystemProperties.ENQUEUED_TIME, config.clock.instant().toString()).build();
        }
        return router.route(message);
    }

    /** A snapshot of the host's counters. */
    public HostStats stats() {
        Map<String, FunctionStats> fs = new LinkedHashMap<>();
        functions.forEach((n, f) -> fs.put(n, f.stats()));
        Map<String, String> ds = new LinkedHashMap<>();
        if (devices != null) {
            devices.states().forEach((id, s) -> ds.put(id, s.name()));
        }
        BufferStats bufferStats = buffer == null || closed ? null : buffer.stats();
        long held = upstream == null || closed ? lastHeld : upstream.held();
        long oldest = bufferStats == null ? 0 : bufferStats.cursors().stream()
                .filter(c -> c.name().equals(UpstreamStore.CURSOR)).mapToLong(c -> c.oldestAgeMillis()).findFirst().orElse(0);
        return new HostStats(router == null ? Map.of() : router.countsByRoute(), router == null ? 0 : router.unrouted(),
                router == null ? 0 : router.undeliverable(), fs, held,
                oldest, bufferStats == null ? 0 : bufferStats.bytesOnDisk(), ds, bufferStats);
    }

    /** The state of function {@code name}, or null if there is none. */
    public FunctionState functionState(String name) {
        FunctionRuntime f = functions.get(name);
        return f == null ? null : f.state();
    }

    /** The compiled route table. */
    public RouteTable routes() {
        return router.table();
    }

    /** Changes which routes are traced while the host runs (see {@link Builder#traceRoutes}). */
    public void traceRoutes(Set<String> routeNames) {
        router.traceRoutes(routeNames);
    }

    /**
     * The device-command binding functions use: sends a command to one of the deployment's
     * devices (for tools, tests and benchmarks that act as an operator would).
     */
    public DeviceCommands devices() {
        return devices;
    }

    /** The management API's port, or -1 when it is off. */
    public int httpPort() {
        return management == null ? -1 : management.port();
    }

    /** The offline buffer (for the upstream link and tools). */
    public OfflineBuffer buffer() {
        return buffer;
    }

    /**
     * Stops the host: devices and timers first (no new work), then drains the functions for up
     * to the drain timeout, then closes the buffer cleanly and releases the data directory.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (management != null) {
            management.close();
        }
        if (devices != null) {
            devices.close();
        }
        if (timers != null) {
            timers.close();
        }
        // Let the functions pass their work along while every one of them still takes messages:
        // stopping them one by one would refuse what an upstream function sends while it drains.
        long deadline = System.nanoTime() + config.drainTimeout.toNanos();
        awaitQuiescence(deadline);
        for (FunctionRuntime f : functions.values()) {
            f.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        for (DurableInput d : durableInputs.values()) {
            d.close();
        }
        if (executors != null) {
            executors.close(); // before the packages: no invocation may run on a closed class loader
        }
        for (LoadedPackage p : packages) {
            try {
                p.close();
            } catch (RuntimeException e) {
                LOG.warn("closing a package failed", e);
            }
        }
        if (buffer != null) {
            lastHeld = upstream.held();
            buffer.close();
        }
        if (dataDirectory != null) {
            dataDirectory.close();
        }
    }

    /** Waits until no function has queued or running work, or {@code deadline} (nanoTime) passes. */
    private void awaitQuiescence(long deadline) {
        try {
            while (System.nanoTime() < deadline && !functions.values().stream().allMatch(FunctionRuntime::isIdle)) {
                // Nothing to wait on but the functions' counters; a short poll during shutdown only.
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Configures an {@link EdgeHost}. Not thread-safe. */
    public static final class Builder {
        private Deployment deployment;
        private Path dataDirectory;
        private String gatewayId = "edgefn-gateway";
        private InstantSource clock = InstantSource.system();
        private HostListener listener = new HostListener() { };
        private TransportFactory transports = TransportFactory.serial();
        private RestartPolicy restartPolicy = RestartPolicy.DEFAULT;
        private int queueCapacity = 1024;
        private Duration queueWait = Duration.ofSeconds(5);
        private Duration outputWait = Duration.ofSeconds(10);
        private Duration drainTimeout = Duration.ofSeconds(5);
        private int httpPort = -1;
        private Set<String> tracedRoutes = Set.of();

        private Builder() {
        }

        /**
         * Routes whose decision is logged for every message, with the reason when they do not
         * fire ({@code "*"} for all); none by default.
         */
        public Builder traceRoutes(Set<String> routeNames) {
            this.tracedRoutes = Set.copyOf(routeNames);
            return this;
        }

        /** The deployment to run (required). */
        public Builder deployment(Deployment deployment) {
            this.deployment = Objects.requireNonNull(deployment, "deployment");
            return this;
        }

        /** Where the host keeps its state (required); locked while it runs. */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
            return this;
        }

        /** This gateway's id (default {@code edgefn-gateway}). */
        public Builder gatewayId(String gatewayId) {
            this.gatewayId = Objects.requireNonNull(gatewayId, "gatewayId");
            return this;
        }

        /** The clock (default: the system's). */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Observes the host. */
        public Builder listener(HostListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Opens device ports (default: serial ports through jSerialComm). */
        public Builder transports(TransportFactory transports) {
            this.transports = Objects.requireNonNull(transports, "transports");
            return this;
        }

        /** How failed function starts are retried. */
        public Builder restartPolicy(RestartPolicy restartPolicy) {
            this.restartPolicy = Objects.requireNonNull(restartPolicy, "restartPolicy");
            return this;
        }

        /** Messages that may wait per function (default 1024). */
        public Builder queueCapacity(int queueCapacity) {
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
            }
            this.queueCapacity = queueCapacity;
            return this;
        }

        /** How long stopping waits for queued and running work (default 5 s). */
        public Builder drainTimeout(Duration drainTimeout) {
            this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
            return this;
        }

        /** The management API's port on loopback: 0 picks a free one, -1 (default) turns it off. */
        public Builder httpPort(int httpPort) {
            if (httpPort < -1 || httpPort > 65535) {
                throw new IllegalArgumentException("httpPort must be -1 (off), 0 (any) or a port number, was " + httpPort);
            }
            this.httpPort = httpPort;
            return this;
        }

        /** A host with this configuration; call {@link EdgeHost#start()} on it. */
        public EdgeHost build() {
            if (deployment == null || dataDirectory == null) {
                throw new IllegalStateException("an EdgeHost needs a deployment and a data directory; missing: "
                        + (deployment == null ? "deployment " : "") + (dataDirectory == null ? "dataDirectory" : ""));
            }
            return new EdgeHost(this);
        }
    }

    /** The host's clock's idea of now (for tools that report ages). */
    public Instant now() {
        return config.clock.instant();
    }
}
