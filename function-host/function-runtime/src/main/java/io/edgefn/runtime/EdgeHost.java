package io.edgefn.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.api.DeviceCommands;
import io.edgefn.api.Message;
import io.edgefn.buffer.OfflineBuffer;
import io.edgefn.deploy.Deployment;
import io.edgefn.devices.TransportFactory;
import io.edgefn.routes.RouteCompilationException;
import io.edgefn.routes.RouteTable;
import io.edgefn.runtime.internal.DeploymentPlan;
import io.edgefn.runtime.internal.FunctionHandle;
import io.edgefn.runtime.internal.HealthReport;
import io.edgefn.runtime.internal.HostConfig;
import io.edgefn.runtime.internal.Ingress;
import io.edgefn.runtime.internal.RunningHost;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;

/**
 * The edgefn host: one process holding a gateway's deployment — its functions, route graph,
 * offline buffer and devices. Built with {@link #builder()}, started with {@link #start()},
 * stopped with {@link #close()}; its lifecycle is a {@link HostState}.
 *
 * <p>Starting validates the whole deployment first (packages verified, routes compiled against
 * the functions and modules it really has) and refuses it with every problem listed before any
 * user code runs. Then it loads each package into its own class loader and Micronaut context,
 * binds the routes once into a route graph of sinks, and starts the functions (with restart
 * backoff), their timers and the devices: the safety path's functions first, then the devices,
 * then the other functions. Each function's constructor runs on its own threads under the start
 * timeout, so one that blocks leaves that function FAILED and the host starts without it. Every message — from a device, a function,
 * a timer's function, {@link #submit} or {@link #offer} — enters through one ingress, which stamps
 * its id, {@code enqueuedTime} and connection. Closing stops the devices and timers, drains what
 * the functions have queued and running, and closes the buffer cleanly.
 *
 * <p>Each function is also managed like an IoT Edge module: {@link #invokeMethod} calls its direct
 * methods, {@link #applyDesired} patches its desired properties (its settings change live), and
 * {@link #reportedProperties} and {@link Builder#onReportedPatch} give what it reports;
 * {@link #healthReport()} is the gateway's health shaped like {@code $edgeAgent}'s reported
 * properties.
 *
 * <p>{@link #deployments()} changes the deployment live, health-gated, with a history in the data
 * directory and automatic rollback; {@link #resumable} is what a host started without a
 * deployment resumes.
 *
 * <p>Thread-safe: {@link #submit}, {@link #offer}, {@link #stats()} and the twin and method calls
 * from any thread ({@link #offer}, {@link #invokeMethod} and {@link #applyDesired} never block, for
 * event loops); {@link #start()} once; {@link #close()} from any thread, any number of times.
 */
public final class EdgeHost implements HostIngress, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Builder config;
    private final Ingress ingress;
    /** Guards state transitions only: nothing is opened, closed or called while it is held. */
    private final Object lifecycle = new Object();
    private volatile HostState state = HostState.NEW;
    private volatile RunningHost running;
    private volatile io.edgefn.runtime.internal.LiveDeployments deployments;
    /** Counted down when the first {@link #close()} has released everything. */
    private final CountDownLatch stopped = new CountDownLatch(1);

    private EdgeHost(Builder config) {
        this.config = config;
        this.ingress = new Ingress(config.clock, config.listener);
    }

    /** A builder; a deployment and a data directory are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks {@code deployment}'s packages and compiles its routes against the functions and
     * modules it really has, without loading any user class; returns the route table (its
     * {@link RouteTable#warnings()} say what compiled but may not do what was meant).
     *
     * @throws HostException listing every problem of every package
     * @throws RouteCompilationException listing every problem of every route
     */
    public static RouteTable checkRoutes(Deployment deployment) {
        return checkDeploymentRoutes(deployment).table();
    }

    /**
     * As {@link #checkRoutes}, also saying which routes the functions' triggers generated
     * ({@code @DeviceEventTrigger}): by route name, the trigger, its method and its function, e.g.
     * {@code @DeviceEventTrigger(device = "pump-01") on pump-watch.onPump}.
     *
     * @param table     the compiled routes, the deployment's own first
     * @param generated what generated each generated route, by route name, in table order
     */
    public record CheckedRoutes(RouteTable table, java.util.Map<String, String> generated) {
    }

    /**
     * Checks {@code deployment} as {@link #checkRoutes} does and tells the generated routes apart.
     *
     * @throws HostException listing every problem of every package, or a device-event trigger for
     *                       a device the deployment does not have
     * @throws RouteCompilationException listing every problem of every route
     */
    public static CheckedRoutes checkDeploymentRoutes(Deployment deployment) {
        DeploymentPlan plan = DeploymentPlan.inspect(deployment);
        java.util.Map<String, String> generated = new java.util.LinkedHashMap<>();
        plan.generatedRoutes().forEach(g -> generated.put(g.spec().name(), g.trigger() + " on " + g.function() + "."
                + g.method()));
        return new CheckedRoutes(plan.compileRoutes(), java.util.Collections.unmodifiableMap(generated));
    }

    /**
     * The host's deployment and its history, changed live: see {@link Deployments}.
     *
     * @throws IllegalStateException before the host started
     */
    public Deployments deployments() {
        Deployments d = deployments;
        if (d == null) {
            throw new IllegalStateException("the host is " + state + "; its deployments exist once it started");
        }
        return d;
    }

    /**
     * The deployment a host started on {@code dataDirectory} without one would resume: the current
     * entry of the directory's history, read again from its stored document; empty when the
     * directory has no history. Reads only; for {@code edgefn run} without {@code --deployment}.
     *
     * @throws HostException when the history exists but cannot be read
     */
    public static java.util.Optional<Deployment> resumable(Path dataDirectory) {
        io.edgefn.runtime.internal.DeploymentHistory history = io.edgefn.runtime.internal.DeploymentHistory.open(dataDirectory);
        return history.current().map(history::load);
    }

    /** The host's lifecycle state. */
    public HostState state() {
        return state;
    }

    private boolean move(HostState target) {
        synchronized (lifecycle) {
            if (!state.canMoveTo(target)) {
                return false;
            }
            state = target;
            return true;
        }
    }

    /**
     * Validates and starts the deployment; returns this host. On failure everything already
     * started is stopped again and a {@link HostException} lists the problems.
     */
    public EdgeHost start() {
        if (!move(HostState.STARTING)) {
            throw new IllegalStateException("start() runs once, on a NEW host; this one is " + state);
        }
        try {
            running = RunningHost.start(new HostConfig(config.deployment, config.dataDirectory, config.gatewayId,
                    config.clock, config.listener, config.transports, config.restartPolicy, config.queueCapacity,
                    config.queueWait, config.outputWait, config.drainTimeout, config.startTimeout, config.httpPort,
                    config.tracedRoutes, config.executors, config.vertx, Map.copyOf(config.statusSections),
                    config.reportedListener, config.functionHttpHost, config.functionHttpPort, config.localBroker,
                    config.httpBind, config.httpTlsKey, config.httpTlsCertChain, java.util.List.copyOf(config.meterBinders)), ingress);
            deployments = io.edgefn.runtime.internal.LiveDeployments.open(running, config.deployment,
                    running.dataRoot(), config.allowUnsigned, config.gateClock != null ? config.gateClock : config.clock,
                    config.gateScheduler != null ? config.gateScheduler : running.scheduler());
            running.attach(deployments);
            move(HostState.RUNNING);
            return this;
        } catch (RuntimeException | Error e) {
            move(HostState.FAILED);
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

    /**
     * Routes {@code message} as sent by this gateway itself (a tool, a test, the embedding
     * application); completes when every sink took it, waiting for room in a full function queue.
     * Its id is kept when it has one; {@code enqueuedTime} and the connection are set by the host.
     */
    public CompletableFuture<Void> submit(Message message) {
        return submit(message, MessageOrigin.localDevice(config.gatewayId));
    }

    /** As {@link #submit(Message)}, from {@code origin}. May wait for room: not for event loops (see {@link #offer}). */
    @Override
    public CompletableFuture<Void> submit(Message message, MessageOrigin origin) {
        return ingress.submit(message, origin);
    }

    /**
     * Routes {@code message} from {@code origin} without ever blocking, for event loops: a full
     * sink refuses at once, and the answer says when to slow down and when to resume.
     */
    @Override
    public Admission offer(Message message, MessageOrigin origin) {
        return ingress.offer(message, origin);
    }

    /** A snapshot of the host's counters. */
    public HostStats stats() {
        RunningHost h = running;
        return h == null ? new HostStats(Map.of(), 0, 0, Map.of(), 0, 0, 0, Map.of(), null, 0, 0,
                config.deployment.version()) : h.stats();
    }

    /** The state of function {@code name}, or null if there is none. */
    public FunctionState functionState(String name) {
        RunningHost h = running;
        return h == null ? null : h.functionState(name);
    }

    /** The names of the deployment's functions, in deployment order; empty before the host started. */
    public Set<String> functionNames() {
        RunningHost h = running;
        return h == null ? Set.of() : h.functionNames();
    }

    /**
     * Calls the direct method {@code method} of function {@code function} with {@code jsonPayload}
     * and completes with its answer — never exceptionally, and within {@code timeout} (as the
     * host's scheduler times it). Never blocks: the call is queued ahead of the function's routed
     * messages and runs within its concurrency and timeout. The statuses the host gives itself:
     * 400 for a payload that is not JSON or does not fit the method's parameter, 404 for an unknown
     * function or method, 503 when the host or function is not running or its queue is full, 504
     * when no answer came in time (the invocation is then interrupted, or never runs if it was
     * still queued); see {@link MethodResponse}.
     *
     * @param jsonPayload the payload, UTF-8 JSON; {@code null} or empty for JSON {@code null}
     * @param timeout     how long the caller waits, positive
     */
    public CompletableFuture<MethodResponse> invokeMethod(String function, String method, byte[] jsonPayload,
                                                          Duration timeout) {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a direct method call's timeout must be positive, was " + timeout);
        }
        RunningHost h = running;
        if (h == null || state != HostState.RUNNING) {
            return CompletableFuture.completedFuture(hostAnswer(503, "the host is " + state.name().toLowerCase(java.util.Locale.ROOT)));
        }
        FunctionHandle f = h.function(function);
        if (f == null) {
            return CompletableFuture.completedFuture(hostAnswer(404, "there is no function '" + function + "'"));
        }
        byte[] payload = jsonPayload == null || jsonPayload.length == 0
                ? "null".getBytes(java.nio.charset.StandardCharsets.UTF_8) : jsonPayload;
        try {
            JSON.readTree(payload);
        } catch (java.io.IOException e) {
            return CompletableFuture.completedFuture(hostAnswer(400, "the payload of direct method '" + method
                    + "' is not JSON: " + e.getMessage().lines().findFirst().orElse("")));
        }
        return f.invokeMethod(method, payload, timeout);
    }

    private static MethodResponse hostAnswer(int status, String message) {
        return new MethodResponse(status, JSON.createObjectNode().put("message", message).toString()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Merges {@code desiredPatch} (a JSON object, JSON merge patch: {@code null} removes a key;
     * {@code $}-keys such as {@code $version} are ignored) into function {@code function}'s desired
     * properties, unless {@code version} is not newer than the last patch applied — patches apply
     * in version order, a stale or repeated one is dropped. The function's settings change at once:
     * every invocation that starts afterwards reads them; its {@code @DesiredPropertiesTrigger}
     * method, if it has one, is queued with the patch. Never blocks.
     *
     * @return whether the patch was applied (false: stale)
     * @throws IllegalArgumentException when there is no such function or the patch is not an object
     * @throws IllegalStateException    before the host started
     */
    public boolean applyDesired(String function, JsonNode desiredPatch, long version) {
        return requireFunction(function).applyDesired(desiredPatch, version);
    }

    /**
     * Function {@code function}'s reported properties, with their {@code $version} (how many
     * patches it applied since the host started), as a new JSON object; null when there is no
     * such function. Reported properties are kept in memory: after a restart a function reports
     * anew.
     */
    public JsonNode reportedProperties(String function) {
        RunningHost h = running;
        FunctionHandle f = h == null ? null : h.function(function);
        return f == null ? null : f.reportedProperties();
    }

    /**
     * Function {@code function}'s desired properties — the deployment's {@code desired} for it with
     * every patch applied — with the {@code $version} of the last patch (0: none), as a new JSON
     * object; null when there is no such function.
     */
    public JsonNode desiredProperties(String function) {
        RunningHost h = running;
        FunctionHandle f = h == null ? null : h.function(function);
        return f == null ? null : f.desiredProperties();
    }

    private FunctionHandle requireFunction(String function) {
        FunctionHandle f = requireStarted().function(function);
        if (f == null) {
            throw new IllegalArgumentException("there is no function '" + function + "'; functions: " + functionNames());
        }
        return f;
    }

    /**
     * The gateway's health as the upstream link reports it, shaped like IoT Edge's
     * {@code $edgeAgent} reported properties: schema version, the deployment's version, each
     * function's {@code runtimeStatus}, restart count, last start and exit (ISO-8601 UTC strings)
     * and last error, and the depth of what waits for the cloud per priority. An unmodifiable map
     * of plain values that any JSON mapper writes as it is.
     */
    public Map<String, Object> healthReport() {
        return HealthReport.of(state, stats());
    }

    /** The compiled route table (null before the host started). */
    public RouteTable routes() {
        RunningHost h = running;
        return h == null ? null : h.graph().table();
    }

    /**
     * Logs, for every message from now on, why each named route did or did not take it
     * ({@code "*"} for all; an empty set turns tracing off). See {@link Builder#traceRoutes}.
     */
    public void traceRoutes(Set<String> routeNames) {
        RunningHost h = requireStarted();
        h.graph().traceRoutes(routeNames);
    }

    private RunningHost requireStarted() {
        RunningHost h = running;
        if (h == null) {
            throw new IllegalStateException("the host is " + state + "; it has not started");
        }
        return h;
    }

    /**
     * The device-command binding functions use: sends a command to one of the deployment's
     * devices (for tools, tests and benchmarks that act as an operator would). Results complete
     * on the host's safety workers, never on a device's reader thread.
     */
    public DeviceCommands devices() {
        return requireStarted().devices();
    }

    /**
     * The port of the functions' own HTTP listener ({@link Builder#functionHttp}), or -1 when there
     * is none or the host is not running.
     */
    public int functionHttpPort() {
        RunningHost h = running;
        return h == null ? -1 : h.functionHttpPort();
    }

    /** The management API's port, or -1 when it is off. */
    public int httpPort() {
        RunningHost h = running;
        return h == null ? -1 : h.httpPort();
    }

    /**
     * The inboxes of external module {@code moduleId} — a process that connects to the edge hub
     * as {@code {gatewayId}/{moduleId}} — that the deployment's routes fill; empty when no route
     * reaches it. The edge hub drains them while the module is connected.
     */
    public java.util.List<ModuleInbox> moduleInboxes(String moduleId) {
        return requireStarted().moduleInboxes(moduleId);
    }

    /** This gateway's id. */
    public String gatewayId() {
        return config.gatewayId;
    }

    /** The offline buffer (for the upstream link and tools). */
    public OfflineBuffer buffer() {
        return requireStarted().buffer();
    }

    /**
     * Stops the host: devices and timers first (no new work), then drains the functions for up
     * to the drain timeout, then closes the buffer cleanly and releases the data directory. The
     * first call does the work; a call meanwhile from another thread (a signal handler, say)
     * waits until it is done; later calls return at once.
     */
    @Override
    public void close() {
        boolean stopping;
        synchronized (lifecycle) {
            stopping = state.canMoveTo(HostState.STOPPING) && state != HostState.NEW;
            if (stopping) {
                state = HostState.STOPPING;
            } else if (state == HostState.NEW) {
                state = HostState.STOPPED;
                stopped.countDown();
            }
        }
        if (!stopping) {
            awaitStopped();
            return;
        }
        try {
            io.edgefn.runtime.internal.LiveDeployments d = deployments;
            if (d != null) {
                d.close();
            }
            RunningHost h = running;
            if (h != null) {
                h.close();
            }
        } finally {
            move(HostState.STOPPED);
            stopped.countDown();
        }
    }

    private void awaitStopped() {
        if (state == HostState.STARTING) {
            return; // still starting on another thread: nothing has been opened for this call to wait on
        }
        try {
            stopped.await();
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
        private Duration startTimeout = Duration.ofSeconds(10);
        private int httpPort = -1;
        private String httpBind = "127.0.0.1";
        private Path httpTlsKey;
        private Path httpTlsCertChain;
        private String functionHttpHost;
        private int functionHttpPort;
        private Set<String> tracedRoutes = Set.of();
        private HostExecutors executors;
        private io.vertx.core.Vertx vertx;
        private final Map<String, java.util.function.Supplier<Object>> statusSections = new java.util.LinkedHashMap<>();
        private final java.util.List<io.micrometer.core.instrument.binder.MeterBinder> meterBinders = new java.util.ArrayList<>();
        private BiConsumer<String, JsonNode> reportedListener;
        private LocalBroker localBroker;
        private boolean allowUnsigned;
        private InstantSource gateClock;
        private java.util.concurrent.ScheduledExecutorService gateScheduler;

        private Builder() {
        }

        /**
         * Whether live changes ({@link EdgeHost#deployments()}) may apply unsigned deployments
         * although the data directory trusts signing keys (default false; development only, as
         * {@code edgefn run --allow-unsigned}). A signature, when there is one, is checked anyway.
         */
        public Builder allowUnsigned(boolean allowUnsigned) {
            this.allowUnsigned = allowUnsigned;
            return this;
        }

        /**
         * The clock and scheduler the health gate of live changes is timed on (default: the host's
         * clock and scheduler). Tests give a manual clock and scheduler here; the scheduler is not
         * closed by the host.
         */
        public Builder healthGateTiming(InstantSource clock, java.util.concurrent.ScheduledExecutorService scheduler) {
            this.gateClock = Objects.requireNonNull(clock, "clock");
            this.gateScheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The Vert.x instance the management API serves on, shared with the edge hub (default: one
         * of the API's own). The host does not close a Vert.x it was given.
         */
        public Builder vertx(io.vertx.core.Vertx vertx) {
            this.vertx = Objects.requireNonNull(vertx, "vertx");
            return this;
        }

        /**
         * Adds a section to the management API's {@code GET /status}: {@code supplier}'s value, as
         * JSON, under {@code name} (the edge hub's clients, the upstream link's state). The supplier
         * runs on an event loop: it must only read counters.
         */
        public Builder statusSection(String name, java.util.function.Supplier<Object> supplier) {
            statusSections.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(supplier, "supplier"));
            return this;
        }

        /**
         * Adds meters to the management API's {@code GET /metrics} (the edge hub's, the upstream
         * link's): {@code binder} is bound once, to the host's registry, when the API starts. Its
         * meters are read when Prometheus scrapes, on an event loop: they must only read counters.
         */
        public Builder meterBinder(io.micrometer.core.instrument.binder.MeterBinder binder) {
            meterBinders.add(Objects.requireNonNull(binder, "binder"));
            return this;
        }

        /**
         * Routes whose decision is logged for every message, with the reason when they do not
         * fire ({@code "*"} for all); none by default.
         */
        public Builder traceRoutes(Set<String> routeNames) {
            this.tracedRoutes = Set.copyOf(routeNames);
            return this;
        }

        /**
         * Told of every reported-properties patch a function makes ({@code FunctionContext.twin()
         * .patchReported}): the function's name and the patch as it sent it (JSON merge patch), so
         * that the upstream link can send it to the cloud. Called after the patch is applied, on
         * the thread of the invocation that made it — it must be quick and must not block (hand
         * the patch to an event loop) — and what it throws is logged and ignored. Patches of a
         * function with a {@code maxConcurrency} above 1 may arrive out of order; {@link
         * EdgeHost#reportedProperties} is then the whole truth.
         */
        public Builder onReportedPatch(BiConsumer<String, JsonNode> listener) {
            this.reportedListener = Objects.requireNonNull(listener, "listener");
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

        /**
         * How long a function's constructor may run when it starts (default 10 s). One that is still
         * running then is interrupted and abandoned, and the function is FAILED, with the reason in
         * its {@link FunctionStats#lastProblem()}; the host starts without it.
         */
        public Builder startTimeout(Duration startTimeout) {
            Objects.requireNonNull(startTimeout, "startTimeout");
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
            }
            this.startTimeout = startTimeout;
            return this;
        }

        /**
         * The threads the host runs on (default: {@link HostExecutors#create()}); the host closes
         * them when it closes. Tests give a manual scheduler here.
         */
        public Builder executors(HostExecutors executors) {
            this.executors = Objects.requireNonNull(executors, "executors");
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

        /**
         * The address the management API listens on: {@code 127.0.0.1} (the default) keeps it on
         * loopback; any other (e.g. {@code 0.0.0.0}) opens it to the network, where every call but
         * {@code GET /health} still needs the bearer token and the {@code Host} check is dropped
         * (the names the gateway is reached under are not known here). Use it with
         * {@link #httpTls}: the token must not cross a network in clear.
         */
        public Builder httpBind(String address) {
            if (address == null || address.isBlank()) {
                throw new IllegalArgumentException("httpBind needs an address, e.g. 127.0.0.1, 0.0.0.0 or 192.168.1.10");
            }
            this.httpBind = address.trim();
            return this;
        }

        /**
         * Serves the management API (and the functions' paths on its port) over TLS with the PEM
         * private key {@code keyPem} and the PEM certificate chain {@code certChainPem} (server
         * certificate first), e.g. the gateway's own certificate. Without this (the default) it is
         * plain HTTP. Both files are read when the host starts; a missing or bad file fails the start
         * naming it.
         */
        public Builder httpTls(Path keyPem, Path certChainPem) {
            this.httpTlsKey = Objects.requireNonNull(keyPem, "keyPem");
            this.httpTlsCertChain = Objects.requireNonNull(certChainPem, "certChainPem");
            return this;
        }

        /**
         * Makes the functions' {@code @HttpTrigger} paths reachable from other machines: a listener
         * of their own on {@code bindAddress:port} (0 picks a free port), serving {@code /fn/}
         * paths only, each request with its function's bearer token
         * ({@link DataDirectory#functionToken}). Without this (the default) those paths are served
         * on the management API's loopback port only, without a token. See docs/management-api.md.
         */
        public Builder functionHttp(String bindAddress, int port) {
            if (bindAddress == null || bindAddress.isBlank()) {
                throw new IllegalArgumentException("functionHttp needs an address to bind, e.g. 0.0.0.0 or 192.168.1.10");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("the functions' HTTP port must be 0 (any) or a port number, was " + port);
            }
            this.functionHttpHost = bindAddress;
            this.functionHttpPort = port;
            return this;
        }

        /**
         * The gateway's own MQTT hub, for {@code @MqttTrigger}s and {@code MqttPublisher}s without a
         * broker; without one (the default) a deployment whose functions use it is refused at start.
         */
        public Builder localBroker(LocalBroker localBroker) {
            this.localBroker = localBroker;
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

    /**
     * Each external MQTT broker the functions use, by name: {@code connected}, {@code connects},
     * {@code received} and {@code lastProblem}; empty before the host runs. Thread-safe.
     */
    public Map<String, Object> mqttStatus() {
        RunningHost r = running;
        return r == null ? Map.of() : r.mqttStatus();
    }

    /** The host's clock's idea of now (for tools that report ages). */
    public Instant now() {
        return config.clock.instant();
    }
}
