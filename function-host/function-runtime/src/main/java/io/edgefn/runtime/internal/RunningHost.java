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
 * <p>A running host changes its deployment live with {@link #apply}: new and changed functions
 * start beside the old ones, the route graph is swapped in one step, the replaced functions drain
 * and stop; unchanged ones keep running (see {@link io.edgefn.runtime.Deployments}).
 *
 * <p>{@link #start} on the host's starting thread; {@link #close} once, from whichever thread
 * stops the host; {@link #apply} from one thread at a time (serialised, and with {@link #close});
 * the read methods from any thread.
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
    /**
     * The running functions by name, in deployment order: filled while starting, then replaced
     * whole (never changed in place) by each live change, so readers on any thread see one
     * deployment's functions or the next one's.
     */
    private volatile Map<String, FunctionRuntime> functions = new LinkedHashMap<>();
    /** Each running function with what decides whether a new deployment changes it; guarded by {@link #changes}. */
    private final Map<String, Live> lives = new LinkedHashMap<>();
    /** Serialises live changes with each other and with {@link #close}. */
    private final Object changes = new Object();
    /** The deployment running now (the started one, then each applied live). */
    private volatile Deployment current;
    private HostServices services;
    /** The functions' last errors and dead letters, for {@code /status}'s {@code recentProblems}. */
    private final RecentProblems recentProblems;
    /** The host's deployments, for the management API; set once the host started. */
    private volatile io.edgefn.runtime.Deployments liveDeployments;
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
    /** Set when {@link #close} begins: no live change starts after it. */
    private volatile boolean closing;
    private volatile long lastHeld;

    private RunningHost(HostConfig config, Ingress ingress) {
        this.config = config;
        this.ingress = ingress;
        this.recentProblems = new RecentProblems(config.clock());
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
        current = deployment;
        dataDirectory = DataDirectory.lock(config.dataDirectory());
        // Packages are verified and loaded from copies of the host's own: see DeploymentPlan.
        DeploymentPlan plan = DeploymentPlan.inspect(deployment, dataDirectory.packages());
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
        services = new HostServices(config.gatewayId(), config.clock(), scheduler, executors.workers(),
                executors.safetyWorkers(), codec, devices, ingress, config.listener(), config.restartPolicy(),
                config.outputWait(), config.startTimeout(), httpCalls, recentProblems);
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
                Live live = wireFunction(f, entry.getValue(), loaded, functionSettings(packageSettings, name),
                        desired.get(name), safety.contains(name), null);
                wirings.add(live.wiring);
                lives.put(name, live);
                functions.put(name, live.wiring.runtime());
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
        // The first shutdown takes the warm path: each device's command encoding, and the binders
        // of every @WarmUp method, run once on synthetic input before any real message (no side
        // effects: nothing is sent, routed or counted).
        devices.warmUp();
        startFunctions(wirings.stream().filter(w -> w.runtime().safetyCritical()).toList(), lives);
        devices.start();
        startFunctions(wirings.stream().filter(w -> !w.runtime().safetyCritical()).toList(), lives);
        durableInputs.values().forEach(DurableInput::start);
        java.util.Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();
        FunctionHttp functionHttp = vertx == null ? null
                : new FunctionHttp(vertx, name -> functions.get(name), name -> tokens.computeIfAbsent(name, dataDirectory::functionToken));
        mqtt.start();
        if (config.httpPort() >= 0) {
            Map<String, java.util.function.Supplier<Object>> sections = new java.util.LinkedHashMap<>(config.statusSections());
            if (mqtt.hasExternalBrokers()) {
                sections.putIfAbsent("mqttBrokers", mqtt::status);
            }
            sections.putIfAbsent("routes", this::routeList);
            sections.putIfAbsent("recentProblems", recentProblems::latest);
            sections.putIfAbsent("deviceLinks", this::deviceLinks);
            sections.putIfAbsent("loop", () -> devices.loop().json());
            HostMetrics metrics = new HostMetrics(() -> functions, () -> graph,
                    () -> buffer == null || !open ? null : buffer.stats(), devices, config.meterBinders());
            management = ManagementApi.start(vertx, new ManagementApi.Listen(config.httpBind(), config.httpPort(),
                            config.httpTlsKey(), config.httpTlsCertChain()), this::stats, sections,
                    new ManagementApi.Messages(dataDirectory.managementToken(), ingress::offer, config.clock(),
                            () -> liveDeployments, dataDirectory.packages()),
                    functionHttp.loopback(), metrics::scrape);
            dataDirectory.publishHttpPort(management.port(), config.httpTlsKey() != null ? "https" : "http");
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

    /**
     * What a live change did.
     *
     * @param refused       every reason the deployment was refused before anything changed; empty when it was not
     * @param failedToStart every reason a new or changed function did not start: nothing was
     *                      swapped, what was started for it is stopped again
     * @param started       the new and changed functions now running, for the health gate
     * @param reused        the functions that kept running untouched
     * @param applyNanos    from the call to the swap (or to the refusal)
     */
    public record Change(List<String> refused, List<String> failedToStart, Set<String> started, Set<String> reused,
                         long applyNanos) {
        /** Whether the new route graph was swapped in. */
        public boolean swapped() {
            return refused.isEmpty() && failedToStart.isEmpty();
        }
    }

    /** Serves {@code deployments} on the management API's {@code /deployments}. */
    public void attach(io.edgefn.runtime.Deployments deployments) {
        this.liveDeployments = deployments;
    }

    /** The deployment running now. */
    public Deployment current() {
        return current;
    }

    /**
     * Applies {@code next} live (see {@link io.edgefn.runtime.Deployments}): validates it whole as
     * a start does, plus what cannot change live; wires and starts its new and changed functions
     * beside the running ones; swaps the route graph in one step and waits for the walks on the old
     * one to end; then cancels the replaced functions' timers and drains and stops them. Blocks
     * the calling thread (not an event loop) for the starts and the drain; changes are serialised.
     *
     * @param trusted       the data directory's trusted keys, for the signature
     * @param allowUnsigned whether an unsigned deployment runs although keys are trusted
     */
    public Change apply(Deployment next, io.edgefn.deploy.TrustedKeys trusted, boolean allowUnsigned) {
        long began = System.nanoTime();
        synchronized (changes) {
            if (!open || closing) {
                return new Change(List.of("the host is stopping"), List.of(), Set.of(), Set.of(), System.nanoTime() - began);
            }
            List<String> problems = new ArrayList<>();
            Deployment now = current;
            try {
                io.edgefn.deploy.PackageHashes.verify(next);
            } catch (io.edgefn.deploy.DeploymentException e) {
                e.problems().forEach(p -> problems.add(p.toString()));
            }
            if (problems.isEmpty()) {
                try {
                    io.edgefn.deploy.SignaturePolicy.Verdict verdict = io.edgefn.deploy.SignaturePolicy.check(next, trusted,
                            allowUnsigned);
                    if (verdict.warning() != null) {
                        LOG.warn("{}", verdict.warning());
                    }
                } catch (io.edgefn.deploy.DeploymentException e) {
                    e.problems().forEach(p -> problems.add(p.toString()));
                }
            }
            notLive("devices", now.devices(), next.devices(), problems);
            notLive("modules", now.modules(), next.modules(), problems);
            notLive("storeAndForward", now.storeAndForward(), next.storeAndForward(), problems);
            notLive("brokers", now.brokers(), next.brokers(), problems);
            if (!problems.isEmpty()) {
                return new Change(problems, List.of(), Set.of(), Set.of(), System.nanoTime() - began);
            }
            DeploymentPlan plan;
            RouteTable table;
            try {
                // The content-addressed store: a jar is kept once by its SHA-256 and never
                // rewritten, so the running versions' jars stay as they are.
                plan = DeploymentPlan.inspect(next, dataDirectory.packages());
                table = plan.compileRoutes();
            } catch (HostException e) {
                problems.addAll(e.problems().isEmpty() ? List.of(e.getMessage()) : e.problems());
                return new Change(problems, List.of(), Set.of(), Set.of(), System.nanoTime() - began);
            } catch (io.edgefn.routes.RouteCompilationException e) {
                e.diagnostics().forEach(d -> problems.add(d.toString()));
                return new Change(problems, List.of(), Set.of(), Set.of(), System.nanoTime() - began);
            }
            Set<String> safety = plan.safetyCritical(table);
            // Which functions keep running, which start anew.
            Map<String, Live> kept = new LinkedHashMap<>();
            List<DeploymentPlan.PlannedFunction> fresh = new ArrayList<>();
            for (DeploymentPlan.PlannedFunction f : plan.functions().values()) {
                String name = f.descriptor().name();
                JsonNode settings = functionSettings(next.packages().get(f.packageName()).settings(), name);
                Live old = lives.get(name);
                if (old != null && old.sameAs(f.functionPackage().sha256(), settings, next.desired().get(name), f.descriptor(),
                        safety.contains(name))) {
                    kept.put(name, old);
                } else {
                    fresh.add(f);
                    if (f.descriptor().methods().stream().anyMatch(m -> m.trigger() instanceof io.edgefn.index.TriggerDescriptor.Mqtt)) {
                        problems.add("function '" + name + "' has @MqttTrigger methods: adding or changing it needs a restart"
                                + " of the host (its broker subscriptions are made at start)");
                    }
                }
            }
            for (Map.Entry<String, Live> old : lives.entrySet()) {
                if (!plan.functions().containsKey(old.getKey()) && old.getValue().descriptor.methods().stream()
                        .anyMatch(m -> m.trigger() instanceof io.edgefn.index.TriggerDescriptor.Mqtt)) {
                    problems.add("function '" + old.getKey() + "' has @MqttTrigger methods: removing it needs a restart of"
                            + " the host (its broker subscriptions last until then)");
                }
            }
            for (io.edgefn.routes.CompiledRoute route : table.routes()) {
                if (route.sink() instanceof io.edgefn.routes.Sink.FunctionInput in) {
                    boolean toFunction = plan.functions().containsKey(in.moduleId());
                    if (route.durable() && toFunction && (!kept.containsKey(in.moduleId()) || !durableInputs.containsKey(in.address()))) {
                        problems.add("route '" + route.name() + "' is durable into " + in.address() + ", which is new or whose"
                                + " function changes: durable inputs change only with a restart of the host");
                    }
                    if (!toFunction && next.modules().containsKey(in.moduleId()) && modules.sinkFor(in.address(), route.durable()) == null) {
                        problems.add("route '" + route.name() + "' reaches module input " + in.address() + (route.durable()
                                ? " durably" : "") + ", which the host has no inbox for yet: that needs a restart of the host");
                    }
                }
            }
            if (!problems.isEmpty()) {
                return new Change(problems, List.of(), Set.of(), Set.of(), System.nanoTime() - began);
            }
            // Wire the new and changed functions beside the running ones.
            Map<String, LoadedPackage> loadedByPackage = new LinkedHashMap<>();
            List<LoadedPackage> newPackages = new ArrayList<>();
            Map<String, Live> started = new LinkedHashMap<>();
            try {
                for (DeploymentPlan.PlannedFunction f : fresh) {
                    LoadedPackage loaded = loadedByPackage.get(f.packageName());
                    if (loaded == null) {
                        loaded = LoadedPackage.load(f.packageName(), f.functionPackage(), RunningHost.class.getClassLoader(),
                                this::js);
                        loadedByPackage.put(f.packageName(), loaded);
                        newPackages.add(loaded);
                    }
                    String name = f.descriptor().name();
                    Live old = lives.get(name);
                    started.put(name, wireFunction(f, f.functionPackage(), loaded,
                            functionSettings(next.packages().get(f.packageName()).settings(), name), next.desired().get(name),
                            safety.contains(name), old == null ? null : old.states));
                }
            } catch (RuntimeException | LinkageError e) {
                problems.add("wiring the new functions failed: " + Failures.describe(e));
                discard(started.values(), newPackages);
                return new Change(problems, List.of(), Set.of(), Set.of(), System.nanoTime() - began);
            }
            // Start and warm them: every one RUNNING before anything is swapped.
            List<FunctionWiring> wirings = started.values().stream().map(l -> l.wiring).toList();
            try {
                startFunctions(wirings, started);
            } catch (RuntimeException | Error e) {
                discard(started.values(), newPackages);
                throw e;
            }
            List<String> failed = new ArrayList<>();
            for (Live l : started.values()) {
                FunctionRuntime r = l.wiring.runtime();
                if (r.state() != io.edgefn.runtime.FunctionState.RUNNING) {
                    String why = r.stats().lastProblem();
                    failed.add("function '" + r.name() + "' did not start: it is " + r.state()
                            + (why == null ? "" : " (" + why + ")"));
                }
            }
            if (!failed.isEmpty()) {
                discard(started.values(), newPackages);
                return new Change(List.of(), failed, Set.of(), Set.of(), System.nanoTime() - began);
            }
            // Swap in one step.
            Map<String, FunctionRuntime> nextFunctions = new LinkedHashMap<>();
            Map<String, Live> nextLives = new LinkedHashMap<>();
            for (String name : plan.functions().keySet()) {
                Live l = kept.containsKey(name) ? kept.get(name) : started.get(name);
                nextLives.put(name, l);
                nextFunctions.put(name, l.wiring.runtime());
            }
            RouteGraph nextGraph = SinkBinding.bind(table, nextFunctions, durableInputs, upstream, config.queueWait(), modules);
            nextGraph.traceRoutes(config.tracedRoutes());
            List<Live> replaced = lives.entrySet().stream().filter(e -> nextLives.get(e.getKey()) != e.getValue())
                    .map(Map.Entry::getValue).toList();
            plan.routeWarnings().forEach(w -> LOG.warn("route warning: {}", w));
            functions = java.util.Collections.unmodifiableMap(nextFunctions);
            graph = nextGraph;
            current = next;
            if (!ingress.swapAndSettle(nextGraph, config.queueWait().plusSeconds(1))) {
                LOG.warn("walks on the replaced route graph were still running after {}: the replaced functions drain"
                        + " what they took", config.queueWait().plusSeconds(1));
            }
            long swappedAt = System.nanoTime();
            lives.clear();
            lives.putAll(nextLives);
            packages.addAll(newPackages);
            // Drain and stop the replaced versions; their outputs walk the new graph.
            retire(replaced);
            LOG.info("deployment {} applied live: {} function(s) started, {} kept running, {} stopped",
                    next.version() == null ? next.origin() : next.version(), started.size(), kept.size(), replaced.size());
            return new Change(List.of(), List.of(), Set.copyOf(started.keySet()), Set.copyOf(kept.keySet()), swappedAt - began);
        }
    }

    private static void notLive(String what, Object now, Object next, List<String> problems) {
        if (!java.util.Objects.equals(now, next)) {
            problems.add("'" + what + "' differs from the running deployment's: " + what + " change only with a restart"
                    + " of the host (edgefn run), not live");
        }
    }

    /** Cancels the timers of {@code replaced}, drains and stops them, and closes what only they used. */
    private void retire(List<Live> replaced) {
        replaced.forEach(l -> l.timers.forEach(TimerScheduler.Timer::cancel));
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        long abandonDeadline = deadline + ABANDON_WAIT.toNanos();
        for (Live l : replaced) {
            l.wiring.runtime().stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), abandonDeadline);
        }
        for (Live l : replaced) {
            if (!lives.containsKey(l.wiring.runtime().name())) {
                l.states.close(); // removed, not replaced: its successor would share them
                stateStores.remove(l.states);
            }
        }
        closeUnused();
    }

    /** Stops functions started for a change that is not swapped in, and closes their new packages. */
    private void discard(java.util.Collection<Live> started, List<LoadedPackage> newPackages) {
        long abandonDeadline = System.nanoTime() + ABANDON_WAIT.toNanos();
        for (Live l : started) {
            l.timers.forEach(TimerScheduler.Timer::cancel);
            l.wiring.runtime().stop(Duration.ZERO, abandonDeadline);
            if (!lives.containsKey(l.wiring.runtime().name())) {
                l.states.close();
                stateStores.remove(l.states);
            }
        }
        packages.addAll(newPackages);
        closeUnused();
    }

    /** Closes the loaded packages no running function uses any more. */
    private void closeUnused() {
        Set<LoadedPackage> used = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        lives.values().forEach(l -> used.add(l.pkg));
        for (java.util.Iterator<LoadedPackage> it = packages.iterator(); it.hasNext(); ) {
            LoadedPackage p = it.next();
            if (!used.contains(p)) {
                it.remove();
                try {
                    p.close();
                } catch (RuntimeException e) {
                    LOG.warn("closing a package failed", e);
                }
            }
        }
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
    private void startFunctions(List<FunctionWiring> group, Map<String, Live> owners) {
        for (FunctionWiring w : group) {
            w.warmUp(config.clock(), config.listener());
        }
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
            Live live = owners.get(w.runtime().name());
            List<TimerScheduler.Timer> ticking = w.startTimers(timers);
            if (live != null && live.wiring == w) {
                live.timers = ticking;
            }
        }
    }

    /**
     * One running function and what decides whether a new deployment changes it: its package's
     * hash, settings, desired properties, descriptor and whether it is on the safety path.
     */
    private static final class Live {
        final FunctionWiring wiring;
        final LoadedPackage pkg;
        final String packageSha256;
        final JsonNode settings;
        final JsonNode desired;
        final io.edgefn.index.FunctionDescriptor descriptor;
        final boolean safety;
        final StateStores states;
        List<TimerScheduler.Timer> timers = List.of();

        Live(FunctionWiring wiring, LoadedPackage pkg, String packageSha256, JsonNode settings, JsonNode desired,
             io.edgefn.index.FunctionDescriptor descriptor, boolean safety, StateStores states) {
            this.wiring = wiring;
            this.pkg = pkg;
            this.packageSha256 = packageSha256;
            this.settings = settings;
            this.desired = desired;
            this.descriptor = descriptor;
            this.safety = safety;
            this.states = states;
        }

        boolean sameAs(String sha, JsonNode otherSettings, JsonNode otherDesired,
                       io.edgefn.index.FunctionDescriptor otherDescriptor, boolean otherSafety) {
            return packageSha256.equals(sha) && java.util.Objects.equals(settings, otherSettings)
                    && java.util.Objects.equals(desired, otherDesired) && descriptor.equals(otherDescriptor)
                    && safety == otherSafety;
        }
    }

    /**
     * Wires function {@code f} of {@code loaded} (without starting it). Its state stores are
     * {@code states} when a running version of it hands them over (the same stores, so the two
     * versions never hold one log twice), else opened from {@code state/<function>/}.
     */
    private Live wireFunction(DeploymentPlan.PlannedFunction f, io.edgefn.deploy.FunctionPackage pkg, LoadedPackage loaded,
                              JsonNode settings, JsonNode desired, boolean safetyCritical, StateStores states) {
        String name = f.descriptor().name();
        TwinProperties twin = new TwinProperties(name, settings, desired, config.reportedListener());
        StateStores stores = states;
        if (stores == null) {
            // Each function's stores in a directory of its own: state/<function>/<store>.log.
            stores = StateStores.durable(name, dataDirectory.root().resolve("state").resolve(name),
                    services.codec().mapper(), StateLimits.DEFAULTS);
            stateStores.add(stores);
        }
        FunctionWiring wiring = FunctionWiring.wire(f.descriptor(), loaded, services, twin, stores,
                safetyCritical, config.queueCapacity(), mqtt);
        return new Live(wiring, loaded, pkg.sha256(), settings, desired, f.descriptor(), safetyCritical, stores);
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

    /**
     * Each device's link as {@code GET /status} shows it under {@code deviceLinks}: state, frames
     * in and out, bad frames, command latency and the last frames seen, newest last.
     */
    private Map<String, Object> deviceLinks() {
        Map<String, Object> out = new LinkedHashMap<>();
        devices.links().forEach((id, link) -> {
            io.edgefn.devices.DeviceDriver driver = devices.drivers().get(id);
            io.edgefn.devices.DriverStats d = driver.stats();
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("state", driver.state().name());
            one.put("framesIn", d.framesIn());
            one.put("framesOut", d.framesOut());
            one.put("badFrames", d.badFramesTotal());
            one.put("commandLatency", DeviceLinkStats.latencyJson(link.commandLatency()));
            List<Map<String, Object>> frames = new ArrayList<>();
            for (DeviceLinkStats.Seen seen : link.lastFrames()) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("at", seen.at().toString());
                f.put("direction", seen.direction());
                f.put("type", seen.type());
                f.put("summary", seen.summary());
                frames.add(f);
            }
            one.put("lastFrames", frames);
            out.put(id, one);
        });
        return out;
    }

    /**
     * The routes of the running deployment, each as {@code {name, source, sink}} (canonical source
     * and sink address), in deployment order: the dashboard draws source → route → sink from it.
     */
    private List<Map<String, String>> routeList() {
        RouteGraph g = graph;
        if (g == null) {
            return List.of();
        }
        List<Map<String, String>> routes = new ArrayList<>();
        for (io.edgefn.routes.CompiledRoute route : g.table().routes()) {
            Map<String, String> r = new LinkedHashMap<>();
            r.put("name", route.name());
            r.put("source", route.source());
            r.put("sink", route.sink().address());
            routes.add(r);
        }
        return routes;
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
                g == null ? 0 : g.unreadableBodies(), g == null ? 0 : g.conditionFailures(), current.version());
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

    /** The counters of function {@code name}, or null if there is none. */
    public FunctionStats functionStats(String name) {
        FunctionRuntime f = functions.get(name);
        return f == null ? null : f.stats();
    }

    /** The host's scheduler. */
    public ScheduledExecutorService scheduler() {
        return executors.scheduler();
    }

    /** The host's data directory's root. */
    public java.nio.file.Path dataRoot() {
        return dataDirectory.root();
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
        closing = true;
        synchronized (changes) {
            // A live change under way finishes first: it swaps whole or not at all.
        }
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
