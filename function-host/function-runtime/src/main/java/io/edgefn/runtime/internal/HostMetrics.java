package io.edgefn.runtime.internal;

import io.edgefn.buffer.BufferStats;
import io.edgefn.buffer.OfflineBuffer;
import io.edgefn.devices.DeviceDriver;
import io.edgefn.devices.DriverStats;
import io.edgefn.devices.LinkState;
import io.edgefn.runtime.FunctionState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's meters for {@code GET /metrics}, in Micrometer's Prometheus registry (which writes
 * the text format; nothing here writes exposition by hand). docs/metrics.md lists every meter.
 *
 * <p>Cost: the counters the host keeps anyway (a function's invocations, a route's count, a
 * driver's frames) are read by {@link FunctionCounter}s and {@link Gauge}s when Prometheus
 * scrapes, so the message path pays nothing for them. Only the three histograms — a function's
 * durations, a device's command latency and the control loop — record into a Micrometer
 * {@link Timer} as they happen, which is lock-free.
 *
 * <p>Functions, routes and devices change with live deployments, so the meters for new names are
 * registered at each scrape ({@link #scrape}); a meter reads its thing through the host's current
 * map by name, so a function replaced by a live change is read from its new runtime (its
 * counters start again at zero, which Prometheus' {@code rate()} takes as a reset).
 *
 * <p>Threads: {@link #scrape} runs on the management API's event loop, one at a time; it only
 * reads counters.
 */
final class HostMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(HostMetrics.class);
    /** The priorities the offline buffer knows: 0 (most urgent) to 10 (the default). */
    private static final int PRIORITIES = OfflineBuffer.DEFAULT_PRIORITY + 1;
    /** Histogram buckets of the latencies, from 100 µs to 10 s, as the status page's. */
    private static final Duration[] BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
        Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Supplier<Map<String, FunctionRuntime>> functions;
    private final Supplier<RouteGraph> graph;
    private final Supplier<BufferStats> buffer;
    private final DeviceHub devices;
    private final Set<String> boundFunctions = ConcurrentHashMap.newKeySet();
    private final Set<String> boundRoutes = ConcurrentHashMap.newKeySet();
    private final Set<String> boundCursors = ConcurrentHashMap.newKeySet();

    /**
     * Binds the host's meters, and then each of {@code binders} (the edge hub's and the upstream
     * link's, from the gateway); a binder that throws is logged and left out.
     */
    HostMetrics(Supplier<Map<String, FunctionRuntime>> functions, Supplier<RouteGraph> graph,
                Supplier<BufferStats> buffer, DeviceHub devices, List<MeterBinder> binders) {
        this.functions = functions;
        this.graph = graph;
        this.buffer = buffer;
        this.devices = devices;
        bindFixed();
        refresh();
        for (MeterBinder binder : binders) {
            try {
                binder.bindTo(registry);
            } catch (RuntimeException e) {
                LOG.warn("a meter binder failed and its meters are not exposed: {}", Failures.describe(e));
            }
        }
    }

    /** The registry, for tests. */
    MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text format ({@code text/plain; version=0.0.4}) of every meter now. */
    String scrape() {
        refresh();
        return registry.scrape();
    }

    /** Latency histogram for {@code name} with {@code tags}, with the status page's buckets. */
    private Timer latency(String name, String description, String... tags) {
        return Timer.builder(name).description(description).tags(tags).serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    private void bindFixed() {
        FunctionCounter.builder("edgefn.messages.unrouted", this, m -> route(RouteGraph::unrouted))
                .description("Messages no route matched").register(registry);
        FunctionCounter.builder("edgefn.messages.undeliverable", this, m -> route(RouteGraph::undeliverable))
                .description("Deliveries a sink did not take").register(registry);
        Gauge.builder("edgefn.buffer.bytes", this, m -> {
            BufferStats b = buffer.get();
            return b == null ? 0 : b.bytesOnDisk();
        }).description("Bytes the offline buffer holds on disk").baseUnit("bytes").register(registry);
        devices.loop().timer(latency("edgefn.control.loop",
                "From a device reading's arrival to the MCU's ACK of the command a safety-critical function sent because of it"));
        devices.links().forEach((device, link) -> {
            DeviceDriver driver = devices.drivers().get(device);
            FunctionCounter.builder("edgefn.device.frames.in", driver, d -> d.stats().framesIn()).tag("device", device)
                    .description("Valid frames received from the device").register(registry);
            FunctionCounter.builder("edgefn.device.frames.out", driver, d -> d.stats().framesOut()).tag("device", device)
                    .description("Frames written to the device, retries included").register(registry);
            FunctionCounter.builder("edgefn.device.bad.frames", driver, d -> d.stats().badFramesTotal())
                    .tag("device", device).description("Frames from the device dropped as bad").register(registry);
            FunctionCounter.builder("edgefn.device.command.retries", driver, d -> d.stats().retries())
                    .tag("device", device).description("Commands resent for want of an ACK").register(registry);
            FunctionCounter.builder("edgefn.device.reconnects", driver, d -> d.stats().reconnects())
                    .tag("device", device).description("Times the port was reopened").register(registry);
            for (LinkState state : LinkState.values()) {
                Gauge.builder("edgefn.device.link.state", driver, d -> d.state() == state ? 1 : 0)
                        .tags("device", device, "state", state.name())
                        .description("1 for the link's current state, 0 for the others").register(registry);
            }
            link.commandTimer(latency("edgefn.device.command.latency", "From a COMMAND sent to the MCU's ACK",
                    "device", device));
        });
    }

    private double route(ToDoubleFunction<RouteGraph> read) {
        RouteGraph g = graph.get();
        return g == null ? 0 : read.applyAsDouble(g);
    }

    /** Registers the meters of functions, routes and buffer cursors not seen before. */
    private void refresh() {
        Map<String, FunctionRuntime> fs = functions.get();
        fs.forEach((name, f) -> {
            if (boundFunctions.add(name)) {
                bindFunction(name);
            }
            FunctionCounters c = f.counters();
            if (c.durationTimer == null) {
                c.durationTimer = latency("edgefn.function.duration", "How long each attempt ran, retries included",
                        "function", name);
            }
        });
        RouteGraph g = graph.get();
        if (g != null) {
            for (String route : g.countsByRoute().keySet()) {
                if (boundRoutes.add(route)) {
                    FunctionCounter.builder("edgefn.route.messages", this,
                                    m -> route(r -> r.countsByRoute().getOrDefault(route, 0L)))
                            .tag("route", route).description("Messages the route delivered").register(registry);
                }
            }
        }
        BufferStats b = buffer.get();
        if (b != null) {
            for (BufferStats.CursorStats cursor : b.cursors()) {
                if (boundCursors.add(cursor.name())) {
                    bindCursor(cursor.name());
                }
            }
        }
    }

    private void bindFunction(String name) {
        counter(name, "edgefn.function.invocations", "Attempts started, retries included", c -> c.invocations.sum());
        counter(name, "edgefn.function.failures", "Attempts that threw, timed out or could not bind their arguments",
                c -> c.failures.sum());
        counter(name, "edgefn.function.retries", "Retries scheduled after a failed attempt", c -> c.retries.sum());
        counter(name, "edgefn.function.dead.letters", "Messages given up on and sent to the dead-letter output",
                c -> c.deadLettered.sum());
        counter(name, "edgefn.function.timeouts", "Attempts that ran past the timeout", c -> c.timeouts.sum());
        counter(name, "edgefn.function.restarts", "Start attempts after the first", c -> c.restarts.get());
        Gauge.builder("edgefn.function.queued", this, m -> {
            FunctionRuntime f = functions.get().get(name);
            return f == null ? 0 : f.queued();
        }).tag("function", name).description("Messages waiting in the function's queue").register(registry);
        for (FunctionState state : FunctionState.values()) {
            Gauge.builder("edgefn.function.state", this, m -> {
                FunctionRuntime f = functions.get().get(name);
                return f != null && f.state() == state ? 1 : 0;
            }).tags("function", name, "state", state.name())
                    .description("1 for the function's current state, 0 for the others").register(registry);
        }
    }

    private void counter(String function, String name, String description, ToDoubleFunction<FunctionCounters> read) {
        FunctionCounter.builder(name, this, m -> {
            FunctionRuntime f = functions.get().get(function);
            return f == null ? 0 : read.applyAsDouble(f.counters());
        }).tag("function", function).description(description).register(registry);
    }

    private void bindCursor(String cursor) {
        for (int p = 0; p < PRIORITIES; p++) {
            int priority = p;
            String label = Integer.toString(p);
            Gauge.builder("edgefn.buffer.depth", this, m -> priorityStat(cursor, priority, false))
                    .tags("cursor", cursor, "priority", label)
                    .description("Records not yet acknowledged by the cursor, by priority").register(registry);
            Gauge.builder("edgefn.buffer.oldest.age", this, m -> priorityStat(cursor, priority, true) / 1000.0)
                    .tags("cursor", cursor, "priority", label).baseUnit("seconds")
                    .description("Age of the oldest record not yet acknowledged by the cursor, by priority")
                    .register(registry);
        }
    }

    /** A cursor's depth (or oldest age in milliseconds) at {@code priority}; 0 when it holds none. */
    long priorityStat(String cursor, int priority, boolean age) {
        BufferStats b = buffer.get();
        if (b == null) {
            return 0;
        }
        for (BufferStats.CursorStats c : b.cursors()) {
            if (c.name().equals(cursor)) {
                for (BufferStats.PriorityStats p : c.priorities()) {
                    if (p.priority() == priority) {
                        return age ? p.oldestAgeMillis() : p.depth();
                    }
                }
            }
        }
        return 0;
    }
}
