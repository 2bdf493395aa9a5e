package io.edgefn.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefn.api.DeviceCommands;
import io.edgefn.bindings.BodyCodec;
import io.edgefn.bindings.state.StateLimits;
import io.edgefn.bindings.state.StateStores;
import io.edgefn.buffer.BufferStats;
import io.edgefn.buffer.OfflineBuffer;
import io.edgefn.deploy.Deployment;
import io.edgefn.deploy.DeviceEntry;
import io.edgefn.devices.DeviceConfig;
import io.edgefn.routes.RouteTable;
import io.edgefn.runtime.DataDirectory;
import io.edgefn.runtime.FunctionState;
import io.edgefn.runtime.FunctionStats;
import io.edgefn.runtime.HostException;
import io.edgefn.runtime.HostExecutors;
import io.edgefn.runtime.HostStats;
import io.edgefn.triggers.TimerScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a started host and the order they start and stop in: the data directory lock,
 * the offline buffer, the executors, the devices, the loaded packages and their functions, the
 * durable inputs, the route graph (bound once and handed to the {@link Ingress}), the timers and
 * the management API. {@link io.edgefn.runtime.EdgeHost} is its public face and owns its
 * lifecycle; this class is what it assembles.
 *
 * <p>{@link #start} on the host's starting thread; {@link #close} once, from whichever thread
 * stops the host; the read methods from any thread.
 */
public final class RunningHost {

    private static final Logger LOG = LoggerFactory.getLogger(RunningHost.class);
    /** How long, in all, a stop waits for dispatchers still running when the drain time is up. */
    private static final Duration ABANDON_WAIT = Duration.ofMillis(500);

    private final HostConfig config;
    private final Ingress ingress;
    private final List<LoadedPackage> packages = new ArrayList<>();
    /** The JavaScript side, created when the first js function starts; guarded by {@code this}. */
    private JsFunctions js;
    private final Map<String, FunctionRuntime> functions = new LinkedHashMap<>();
    private final Map<String, DurableInput> durableInputs = new LinkedHashMap<>();
    private final List<StateStores> stateStores = new ArrayList<>();
    private DataDirectory dataDirectory;
    private OfflineBuffer buffer;
    private UpstreamStore upstream;
    private volatile RouteGraph graph;
    private DeviceHub devices;
    private TimerScheduler timers;
    private HostExecutors executors;
    private ManagementApi management;
    /** The Vert.x of the HTTP parts: the builder's, or the host's own ({@link #ownsVertx}), or null when none needs one. */
    private io.vertx.core.Vertx vertx;
    private boolean ownsVertx;
    private io.edgefn.bindings.http.HttpCalls httpCalls;
    private io.vertx.core.http.HttpServer functionListener;
    private ModuleInboxes modules = ModuleInboxes.NONE;
    private MqttBrokers mqtt;
    private volatile boolean open;
    private volatile long lastHeld;

    private RunningHost(HostConfig config, Ingress ingress) {
        this.config = config;
        this.ingress = ingress;
    }

    /**
     * Checks the deployment whole, then starts everything; what was opened before a failure is
     * closed again before the failure propagates.
     */
    public static RunningHost start(HostConfig config, Ingress ingress) {
        RunningHost host = new RunningHost(config, ingress);
        try {
            host.open = true;
            host.doStart();
            return host;
        } catch (RuntimeException | Error e) {
            try {
                host.close();
            } catch (RuntimeException | Error closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private void doStart() {
        Deployment deployment = config.deployment();
        dataDirectory = DataDirectory.lock(config.dataDirectory());
        // Packages are verified and loaded from copies of the host's own: see DeploymentPlan.
        DeploymentPlan plan = DeploymentPlan.inspect(deployment, dataDirectory.root().resolve("packages"));
        RouteTable table = plan.compileRoutes();
        plan.routeWarnings().forEach(w -> LOG.warn("route warning: {}", w));
        Set<String> safety = plan.safetyCritical(table);

        upstream = UpstreamStore.open(dataDirectory.buffer(), deployment.storeAndForward(), config.clock());
        buffer = upstream.buffer();
        executors = config.executors() != null ? config.executors() : HostExecutors.create();
        ScheduledExecutorService scheduler = executors.scheduler();

        List<DeviceConfig> deviceConfigs = new ArrayList<>();
        for (DeviceEntry d : deployment.devices().values()) {
            deviceConfigs.add(new DeviceConfig(d.id(), d.driver(), d.port(), d.baud(),
                    d.failSafeMillis() == null ? null : Duration.ofMillis(d.failSafeMillis()), Map.of()));
        }
        devices = new DeviceHub(deviceConfigs, config.gatewayId(), config.clock(), scheduler, config.transports(), ingress,
                executors.safetyWorkers(), config.listener());

        BodyCodec codec = new BodyCodec();
        boolean callsHttp = plan.functions().values().stream().flatMap(f -> f.descriptor().methods().stream())
                .flatMap(m -> m.parameters().stream()).anyMatch(p -> p instanceof io.edgefn.index.ParameterDescriptor.HttpCall);
        if (config.vertx() != null) {
            vertx = config.vertx();
        } else if (callsHttp || config.httpPort() >= 0 || config.functionHttpHost() != null) {
            vertx = io.vertx.core.Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
            ownsVertx = true;
        }
        if (callsHttp) {
            httpCalls = new io.edgefn.bindings.http.HttpCalls(vertx, codec);
        }
        HostServices services = new HostServices(config.gatewayId(), config.clock(), scheduler, executors.workers(),
                executors.safetyWorkers(), codec, devices, ingress, config.listener(), config.restartPolicy(),
                config.outputWait(), config.startTimeout(), httpCalls);
        timers = new TimerScheduler(scheduler, Runnable::run, config.clock(),
                (name, failure) -> LOG.warn("timer {} failed: {}", name, Failures.describe(failure)));

        mqtt = MqttBrokers.open(deployment, plan.functions().values().stream().map(DeploymentPlan.PlannedFunction::descriptor)
                .toList(), config.localBroker(), config.gatewayId(), scheduler, config.clock(), services.codec());
        Map<String, JsonNode> desired = deployment.desired();
        List<FunctionWiring> wirings = new ArrayList<>();
        for (var entry : plan.packages().entrySet()) {
            LoadedPackage loaded = LoadedPackage.load(entry.getKey(), entry.getValue(), RunningHost.class.getClassLoader(),
                    this::js);
            packages.add(loaded);
            JsonNode packageSettings = deployment.packages().get(entry.getKey()).settings();
            for (DeploymentPlan.PlannedFunction f : plan.functions().values()) {
                if (!f.packageName().equals(entry.getKey())) {
                    continue;
                }
                String name = f.descriptor().name();
                TwinProperties twin = new TwinProperties(name, functionSettings(packageSettings, name), desired.get(name),
                        config.reportedListener());
                // Each function's stores in a directory of its own: state/<function>/<store>.log.
                StateStores states = StateStores.durable(name, dataDirectory.root().resolve("state").resolve(name),
                        services.codec().mapper(), StateLimits.DEFAULTS);
                stateStores.add(states);
                FunctionWiring wiring = FunctionWiring.wire(f.descriptor(), loaded, services, twin, states,
                        safety.contains(name), config.queueCapacity(), mqtt);
                wirings.add(wiring);
                functions.put(name, wiring.runtime());
            }
        }
        durableInputs.putAll(DurableInput.openAll(table, functions,
                dataDirectory.root().resolve("inputs"), config.clock(), config.queueWait()));
        modules = ModuleInboxes.open(table, deployment.modules().keySet(), dataDirectory.root().resolve("modules"),
                config.queueCapacity(), deployment.storeAndForward().timeToLiveSecs(), config.clock());
        graph = SinkBinding.bind(table, functions, durableInputs, upstream, config.queueWait(), modules);
        graph.traceRoutes(config.tracedRoutes());
        ingress.swap(graph);
        // The safety path first, then the devices that feed it, then everything else: a function
        // whose constructor blocks can hold start-up for the start timeout at most, and never
        // delays the safety path. What a device sends an ordinary function meanwhile waits in its
        // queue (or is refused and counted when that is full, see Ingress).
        startFunctions(wirings.stream().filter(w -> w.runtime().safetyCritical()).toList());
        devices.start();
        startFunctions(wirings.stream().filter(w -> !w.runtime().safetyCritical()).toList());
        durableInputs.values().forEach(DurableInput::start);
        java.util.Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();
        FunctionHttp functionHttp = vertx == null ? null
                : new FunctionHttp(vertx, functions::get, name -> tokens.computeIfAbsent(name, dataDirectory::functionToken));
        mqtt.start();
        if (config.httpPort() >= 0) {
            Map<String, java.util.function.Supplier<Object>> sections = new java.util.LinkedHashMap<>(config.statusSections());
            if (mqtt.hasExternalBrokers()) {
                sections.putIfAbsent("mqttBrokers", mqtt::status);
            }
            management = ManagementApi.start(vertx, config.httpPort(), this::stats, sections,
                    new ManagementApi.Messages(dataDirectory.managementToken(), ingress::offer, config.clock()),
                    functionHttp.loopback());
            dataDirectory.publishHttpPort(management.port());
        }
        if (config.functionHttpHost() != null) {
            // Made now, the first need: the operator can hand them out before the first request.
            functions.values().stream().filter(f -> !f.httpRoutes().isEmpty())
                    .forEach(f -> tokens.computeIfAbsent(f.name(), dataDirectory::functionToken));
            functionListener = functionHttp.listen(config.functionHttpHost(), config.functionHttpPort());
            LOG.info("functions' HTTP paths served on {}:{} with per-function tokens", config.functionHttpHost(),
                    functionListener.actualPort());
        }
        LOG.info("host {} started: {} function(s) ({} on the safety path), {} route(s), {} device(s)",
                config.gatewayId(), functions.size(), safety.size(), table.routes().size(), deviceConfigs.size());
    }

    /** Each external MQTT broker's connection state, by name (see {@code MqttBrokers#status}). */
    public Map<String, Object> mqttStatus() {
        MqttBrokers m = mqtt;
        return m == null ? Map.of() : m.status();
    }

    /**
     * Starts {@code group}'s functions together, each on its own threads, and waits until each
     * first attempt has an outcome — for the start timeout at most: one still running then is
     * given up on (FAILED, its thread abandoned) — then starts their timers.
     */
    private void startFunctions(List<FunctionWiring> group) {
        List<CompletableFuture<FunctionState>> started = new ArrayList<>();
        for (FunctionWiring w : group) {
            started.add(w.runtime().start());
        }
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        try {
            for (int i = 0; i < group.size(); i++) {
                try {
                    started.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException late) {
                    // The scheduler times this too; this wait is on the host's own clock, so that a
                    // lagging scheduler cannot hold start-up.
                    group.get(i).runtime().startTimedOut();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("starting function " + group.get(i).runtime().name() + " failed in the host",
                            e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException("interrupted while starting the functions", e);
        }
        for (FunctionWiring w : group) {
            w.startTimers(timers);
        }
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

    /** A snapshot of the host's counters. */
    public HostStats stats() {
        Map<String, FunctionStats> fs = new LinkedHashMap<>();
        functions.forEach((n, f) -> fs.put(n, f.stats()));
        Map<String, String> ds = new LinkedHashMap<>();
        if (devices != null) {
            devices.states().forEach((id, s) -> ds.put(id, s.name()));
        }
        BufferStats bufferStats = buffer == null || !open ? null : buffer.stats();
        long held = upstream == null || !open ? lastHeld : upstream.held();
        long oldest = bufferStats == null ? 0 : bufferStats.cursors().stream()
                .filter(c -> c.name().equals(UpstreamStore.CURSOR)).mapToLong(c -> c.oldestAgeMillis()).findFirst().orElse(0);
        RouteGraph g = graph;
        return new HostStats(g == null ? Map.of() : g.countsByRoute(), g == null ? 0 : g.unrouted(),
                g == null ? 0 : g.undeliverable(), fs, held,
                oldest, bufferStats == null ? 0 : bufferStats.bytesOnDisk(), ds, bufferStats,
                g == null ? 0 : g.unreadableBodies(), g == null ? 0 : g.conditionFailures(), config.deployment().version());
    }

    /** The function called {@code name}, or null if there is none. */
    public FunctionHandle function(String name) {
        FunctionRuntime f = functions.get(name);
        return f == null ? null : new FunctionHandle(f);
    }

    /** The names of the deployment's functions, in deployment order. */
    public Set<String> functionNames() {
        return java.util.Collections.unmodifiableSet(functions.keySet());
    }

    /** The state of function {@code name}, or null if there is none. */
    public FunctionState functionState(String name) {
        FunctionRuntime f = functions.get(name);
        return f == null ? null : f.state();
    }

    /** The route graph messages walk. */
    public RouteGraph graph() {
        return graph;
    }

    /** The device-command binding. */
    public DeviceCommands devices() {
        return devices;
    }

    /** The port of the functions' own HTTP listener, or -1 when there is none. */
    public int functionHttpPort() {
        return functionListener == null ? -1 : functionListener.actualPort();
    }

    /** The management API's port, or -1 when it is off. */
    public int httpPort() {
        return management == null ? -1 : management.port();
    }

    /** The message a buffer record of this host holds (see {@link io.edgefn.runtime.UpstreamRecords}). */
    public static io.edgefn.api.Message decodeRecord(byte[] payload) {
        return MessageCodec.decode(payload);
    }

    /** The inboxes of external module {@code moduleId} (empty when no route reaches it). */
    public List<io.edgefn.runtime.ModuleInbox> moduleInboxes(String moduleId) {
        return modules.of(moduleId);
    }

    /** The offline buffer. */
    public OfflineBuffer buffer() {
        return buffer;
    }

    /**
     * Stops everything: devices and timers first (no new work), then drains the functions for up
     * to the drain timeout, then closes the buffer cleanly and releases the data directory. Returns
     * within the drain timeout plus about two seconds even when invocations ignore their interrupt:
     * their threads (daemons) are abandoned to them, not waited for.
     */
    public void close() {
        if (management != null) {
            management.close();
        }
        if (functionListener != null) {
            try {
                functionListener.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("closing the functions' HTTP listener failed: {}", Failures.describe(e));
            }
        }
        if (devices != null) {
            devices.close();
        }
        if (timers != null) {
            timers.close();
        }
        if (mqtt != null) {
            // Before the functions stop: what is not yet queued stays unacknowledged with its broker.
            mqtt.close();
        }
        // Let the functions pass their work along while every one of them still takes messages:
        // stopping them one by one would refuse what an upstream function sends while it drains.
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        awaitQuiescence(deadline);
        // After the drain, dispatchers still busy (a stuck invocation) are waited for a moment in
        // all, not each: a stop takes the drain time plus a bound, however many are stuck.
        long abandonDeadline = Math.max(deadline, System.nanoTime()) + ABANDON_WAIT.toNanos();
        for (FunctionRuntime f : functions.values()) {
            f.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), abandonDeadline);
        }
        ingress.close();
        for (DurableInput d : durableInputs.values()) {
            d.close();
        }
        modules.close();
        if (executors != null) {
            executors.close(); // before the packages: no invocation may run on a closed class loader
        }
        stateStores.forEach(StateStores::close); // after the executors: no invocation writes any more
        for (LoadedPackage p : packages) {
            try {
                p.close();
            } catch (RuntimeException e) {
                LOG.warn("closing a package failed", e);
            }
        }
        closeJs();
        if (buffer != null) {
            lastHeld = upstream.held();
            open = false; // before the buffer closes: stats() reads lastHeld from now on
            buffer.close();
        }
        open = false;
        if (httpCalls != null) {
            httpCalls.close();
        }
        if (ownsVertx) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("closing the host's Vert.x failed: {}", Failures.describe(e));
            }
        }
        if (dataDirectory != null) {
            dataDirectory.close();
        }
    }

    /** The host's JavaScript side, created on first use: a host without js functions never loads it. */
    private synchronized JsFunctions js() {
        if (js == null) {
            js = JsFunctions.withDefaults();
        }
        return js;
    }

    private synchronized void closeJs() {
        if (js != null) {
            try {
                js.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the JavaScript engine failed", e);
            }
        }
    }

    /**
     * Waits until no function has queued or running work at one moment, or {@code deadline}
     * (nanoTime) passes. Functions feed each other, so one pass that finds every function idle
     * without waiting ends it.
     */
    private void awaitQuiescence(long deadline) {
        try {
            boolean allIdle = false;
            while (!allIdle && System.nanoTime() < deadline) {
                allIdle = true;
                for (FunctionRuntime f : functions.values()) {
                    if (!f.isIdle()) {
                        allIdle = false;
                        if (!f.awaitIdle(deadline)) {
                            return;
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
