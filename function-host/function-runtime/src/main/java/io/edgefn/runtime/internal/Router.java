package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.routes.RouteTable;
import io.edgefn.routes.Sink;
import io.edgefn.runtime.HostListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes messages through the deployment's compiled route table to function inputs and
 * {@code $upstream}.
 *
 * <p>Routing runs on the thread that brings the message in; it is pure and cheap. The returned
 * future completes when every sink has taken the message — a function input has queued it, the
 * upstream store has it on disk — and fails when one could not, so that whatever acknowledges
 * the message to its producer does so only for what was really taken. Delivery into a full
 * function queue waits up to {@code queueWait} (back-pressure), then fails.
 *
 * <p>Thread-safe.
 */
public final class Router {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final RouteTable table;
    private final Map<String, FunctionRuntime> functions;
    private final Map<String, DurableInput> durableInputs;
    private final UpstreamStore upstream;
    private final HostListener listener;
    private final Duration queueWait;
    private final Map<String, LongAdder> perRoute = new ConcurrentHashMap<>();
    private final LongAdder unrouted = new LongAdder();
    private final LongAdder undeliverable = new LongAdder();
    private final LongAdder deadLetterLoops = new LongAdder();
    private volatile java.util.Set<String> traced = java.util.Set.of();

    /** A router over {@code table} delivering to {@code functions} (by name) and {@code upstream}. */
    public Router(RouteTable table, Map<String, FunctionRuntime> functions, UpstreamStore upstream,
                  HostListener listener, Duration queueWait) {
        this(table, functions, Map.of(), upstream, listener, queueWait);
    }

    /**
     * A router that also delivers to {@code durableInputs} (by sink address) what routes marked
     * durable send there.
     */
    public Router(RouteTable table, Map<String, FunctionRuntime> functions, Map<String, DurableInput> durableInputs,
                  UpstreamStore upstream, HostListener listener, Duration queueWait) {
        this.durableInputs = Map.copyOf(durableInputs);
        this.table = table;
        this.functions = functions;
        this.upstream = upstream;
        this.listener = listener;
        this.queueWait = queueWait;
        table.routes().forEach(r -> perRoute.put(r.name(), new LongAdder()));
    }

    /**
     * Logs, for every message from now on, why each route named in {@code routeNames} did or did
     * not take it ({@code "*"} traces every route); an empty set turns tracing off. For "why
     * didn't my route fire" on a running gateway.
     */
    public void traceRoutes(java.util.Set<String> routeNames) {
        this.traced = java.util.Set.copyOf(routeNames);
    }

    private void trace(Message message) {
        boolean all = traced.contains("*");
        for (io.edgefn.routes.RouteTrace.Entry e : table.trace(message).entries()) {
            if (all || traced.contains(e.route().name())) {
                LOG.info("route trace: route '{}' {} for a message from {}{}", e.route().name(), e.outcome(),
                        message.source(), e.reasons().isEmpty() ? "" : ": " + String.join("; ", e.reasons()));
            }
        }
    }

    /** Routes {@code message}; see the class comment for what the future means. */
    public CompletableFuture<Void> route(Message message) {
        return route(message, false);
    }

    /**
     * Routes a message a device driver just read, on the driver's reader thread. Such a message is
     * never made to wait for room in an ordinary function's full queue — that would hold up the
     * device's next frames, the safety path's among them — so there the delivery fails at once
     * (counted as undeliverable); safety-path functions and durable sinks are waited for as usual.
     */
    public CompletableFuture<Void> routeFromDevice(Message message) {
        return route(message, true);
    }

    private CompletableFuture<Void> route(Message message, boolean fromDevice) {
        if (!traced.isEmpty()) {
            trace(message);
        }
        List<CompletableFuture<?>> pending = new ArrayList<>(2);
        int deliveries = table.route(message, (sink, priority, ttl, durable, routeName) -> {
            perRoute.get(routeName).increment();
            pending.add(deliver(message, sink, priority, ttl, durable, fromDevice));
        });
        if (deliveries == 0) {
            unrouted.increment();
        }
        Listeners.safely(() -> listener.messageRouted(message, deliveries));
        return switch (pending.size()) {
            case 0 -> CompletableFuture.completedFuture(null);
            case 1 -> pending.get(0).thenApply(x -> null);
            default -> CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
        };
    }

    private CompletableFuture<?> deliver(Message message, Sink sink, int priority, long ttl, boolean durable,
                                         boolean fromDevice) {
        if (sink instanceof Sink.FunctionInput in) {
            DurableInput durableInput = durable ? durableInputs.get(sink.address()) : null;
            if (durableInput != null && !isOwnDeadLetter(message, in.moduleId())) {
                return durableInput.append(message, priority, ttl);
            }
            if (isOwnDeadLetter(message, in.moduleId())) {
                // A dead letter keeps the original's properties, so the route that brought the
                // original may match it again: sending it back would fail the same way, forever.
                deadLetterLoops.increment();
                return CompletableFuture.completedFuture(null);
            }
            FunctionRuntime target = functions.get(in.moduleId());
            if (target == null) {
                undeliverable.increment();
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "no function or connected module '" + in.moduleId() + "' takes " + sink.address()));
            }
            try {
                Duration wait = fromDevice && !target.safetyCritical() ? Duration.ZERO : queueWait;
                if (target.offer(message, in.input(), priority, wait)) {
                    return CompletableFuture.completedFuture(null);
                }
                undeliverable.increment();
                io.edgefn.runtime.FunctionState state = target.state();
                String why = state == io.edgefn.runtime.FunctionState.RUNNING
                        || state == io.edgefn.runtime.FunctionState.STARTING
                        || state == io.edgefn.runtime.FunctionState.BACKING_OFF
                        ? "its queue stayed full for " + wait.toMillis() + " ms"
                        : "function '" + in.moduleId() + "' is " + state + " and takes no messages";
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "input " + sink.address() + " did not take the message: " + why));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CompletableFuture.failedFuture(e);
            }
        }
        try {
            return upstream.append(message, priority, ttl);
        } catch (RuntimeException e) {
            LOG.warn("could not buffer a message for $upstream: {}", e.toString());
            return CompletableFuture.failedFuture(e);
        }
    }

    private static boolean isOwnDeadLetter(Message message, String function) {
        return FunctionRuntime.DEAD_LETTER_OUTPUT.equals(message.systemProperty(SystemProperties.OUTPUT_NAME))
                && function.equals(message.systemProperty(SystemProperties.CONNECTION_MODULE_ID));
    }

    /** Dead letters not sent back into the function that gave up on them. */
    public long deadLetterLoops() {
        return deadLetterLoops.sum();
    }

    /** Messages routed by each route, by route name. */
    public Map<String, Long> countsByRoute() {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        table.routes().forEach(r -> counts.put(r.name(), perRoute.get(r.name()).sum()));
        return counts;
    }

    /** Messages no route matched. */
    public long unrouted() {
        return unrouted.sum();
    }

    /** Deliveries that failed because a sink did not take the message. */
    public long undeliverable() {
        return undeliverable.sum();
    }

    /** The compiled route table. */
    public RouteTable table() {
        return table;
    }
}
