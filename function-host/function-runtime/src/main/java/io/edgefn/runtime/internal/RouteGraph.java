package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import io.edgefn.routes.CompiledRoute;
import io.edgefn.routes.RouteTable;
import io.edgefn.routes.RouteTrace;
import io.edgefn.routes.Sink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deployment's compiled {@link RouteTable} bound, once, to the {@link MessageSink}s its routes
 * deliver to: per message the walk is {@code table → winning routes → sink.accept(message,
 * priority, ttl)}, with no look-up and no type test. Which sink a route reaches — a function's
 * queue, its durable input, {@code $upstream}, an external module — is decided here at bind time.
 *
 * <p>Dead letters are ruled out of loops here too: a dead letter keeps the original's properties,
 * so the route that brought the original may match it again. For each function the graph keeps a
 * view in which that function's own inputs are replaced by a {@link DeadLetterLoopGuard};
 * {@link #forDeadLettersOf} gives it, and the function's dead letters walk that view.
 *
 * <p>Immutable (but for its counters and the traced routes) and thread-safe: any number of
 * threads walk it at once. A host swaps a whole graph atomically (see {@link Ingress#swap}).
 */
public final class RouteGraph {

    private static final Logger LOG = LoggerFactory.getLogger(RouteGraph.class);

    private final RouteTable table;
    private final MessageSink[] sinkByRoute;
    private final int[] priorityByRoute;
    private final long[] timeToLiveByRoute;
    private final Counters counters;
    private final Map<String, RouteGraph> deadLetterViews;

    /** Counters shared by a graph and its dead-letter views. */
    private static final class Counters {
        final LongAdder[] perRoute;
        final LongAdder unrouted = new LongAdder();
        final LongAdder undeliverable = new LongAdder();
        final LongAdder deadLetterLoops = new LongAdder();
        volatile Set<String> traced = Set.of();

        Counters(int routes) {
            perRoute = new LongAdder[routes];
            for (int i = 0; i < routes; i++) {
                perRoute[i] = new LongAdder();
            }
        }
    }

    private RouteGraph(RouteTable table, MessageSink[] sinkByRoute, Counters counters, Map<String, RouteGraph> views) {
        this.table = table;
        this.sinkByRoute = sinkByRoute;
        this.counters = counters;
        this.deadLetterViews = views;
        List<CompiledRoute> routes = table.routes();
        priorityByRoute = new int[routes.size()];
        timeToLiveByRoute = new long[routes.size()];
        for (int i = 0; i < routes.size(); i++) {
            priorityByRoute[i] = routes.get(i).priority();
            timeToLiveByRoute[i] = routes.get(i).timeToLiveSecs();
        }
    }

    /**
     * Binds every route of {@code table} to the sink {@code resolve} gives for it (called once per
     * route), and builds the dead-letter view of each of {@code functions}.
     */
    static RouteGraph bind(RouteTable table, Function<CompiledRoute, MessageSink> resolve, Set<String> functions) {
        List<CompiledRoute> routes = table.routes();
        MessageSink[] sinks = new MessageSink[routes.size()];
        for (int i = 0; i < sinks.length; i++) {
            sinks[i] = resolve.apply(routes.get(i));
        }
        Counters counters = new Counters(routes.size());
        Map<String, RouteGraph> views = new LinkedHashMap<>();
        for (String function : functions) {
            MessageSink[] view = sinks.clone();
            boolean loops = false;
            for (int i = 0; i < view.length; i++) {
                if (routes.get(i).sink() instanceof Sink.FunctionInput in && in.moduleId().equals(function)) {
                    view[i] = new DeadLetterLoopGuard(in.address(), counters.deadLetterLoops);
                    loops = true;
                }
            }
            if (loops) {
                views.put(function, new RouteGraph(table, view, counters, Map.of()));
            }
        }
        return new RouteGraph(table, sinks, counters, Map.copyOf(views));
    }

    /** The graph that {@code function}'s dead letters walk: this one, with the function's own inputs guarded. */
    RouteGraph forDeadLettersOf(String function) {
        return deadLetterViews.getOrDefault(function, this);
    }

    /** The outcome of one walk: the deliveries made and the sinks that asked producers to slow down. */
    static final class Walk implements IntConsumer {
        private final RouteGraph graph;
        private final Message message;
        private final Patience patience;
        private CompletableFuture<?> first;
        private List<CompletableFuture<?>> more;
        private List<MessageSink> congested;
        private int deliveries;

        private Walk(RouteGraph graph, Message message, Patience patience) {
            this.graph = graph;
            this.message = message;
            this.patience = patience;
        }

        @Override
        public void accept(int route) {
            graph.counters.perRoute[route].increment();
            MessageSink sink = graph.sinkByRoute[route];
            CompletableFuture<?> taken;
            try {
                taken = sink.accept(message, graph.priorityByRoute[route], graph.timeToLiveByRoute[route], patience);
            } catch (RuntimeException e) {
                taken = CompletableFuture.failedFuture(e);
            }
            if (taken.isCompletedExceptionally()) {
                graph.counters.undeliverable.increment();
            }
            if (sink.congested()) {
                if (congested == null) {
                    congested = new ArrayList<>(2);
                }
                congested.add(sink);
            }
            if (first == null) {
                first = taken;
            } else {
                if (more == null) {
                    more = new ArrayList<>(2);
                }
                more.add(taken);
            }
        }

        /** How many sinks the message went to. */
        int deliveries() {
            return deliveries;
        }

        /** Completes when every sink took the message; fails when one refused it. */
        CompletableFuture<Void> taken() {
            if (first == null) {
                return CompletableFuture.completedFuture(null);
            }
            if (more == null) {
                return first.thenApply(x -> null);
            }
            more.add(first);
            return CompletableFuture.allOf(more.toArray(CompletableFuture[]::new));
        }

        /** The sinks that are nearly full, none when nothing asked to slow down. */
        List<MessageSink> congested() {
            return congested == null ? List.of() : congested;
        }
    }

    /** Routes {@code message} to the sinks of the routes that take it, waiting as {@code patience} allows. */
    Walk walk(Message message, Patience patience) {
        if (!counters.traced.isEmpty()) {
            trace(message);
        }
        Walk walk = new Walk(this, message, patience);
        walk.deliveries = table.routeWinners(message, walk);
        if (walk.deliveries == 0) {
            counters.unrouted.increment();
        }
        return walk;
    }

    /**
     * Logs, for every message from now on, why each route named in {@code routeNames} did or did
     * not take it ({@code "*"} traces every route); an empty set turns tracing off.
     */
    public void traceRoutes(Set<String> routeNames) {
        counters.traced = Set.copyOf(routeNames);
    }

    private void trace(Message message) {
        // Route names come from the deployment, the source and the reasons (which quote the
        // contentType and JSON errors) from the message: all are escaped, so no control character
        // or terminal escape sequence reaches the log raw.
        Set<String> traced = counters.traced;
        boolean all = traced.contains("*");
        RouteTrace trace = table.trace(message);
        for (RouteTrace.Entry e : trace.entries()) {
            if (all || traced.contains(e.route().name())) {
                LOG.info("route trace: {}", trace.line(e)); // names and values with control characters escaped
            }
        }
    }

    /** Walks on this graph now: counted by the {@link Ingress}, so that a swap can wait for them to end. */
    private final java.util.concurrent.atomic.AtomicInteger walking = new java.util.concurrent.atomic.AtomicInteger();

    /** Counts a walk beginning (the ingress's). */
    void enterWalk() {
        walking.incrementAndGet();
    }

    /** Counts a walk ending. */
    void exitWalk() {
        walking.decrementAndGet();
    }

    /** How many walks are on this graph now. */
    int walking() {
        return walking.get();
    }

    /** The compiled route table. */
    public RouteTable table() {
        return table;
    }

    /** Messages routed by each route, by route name, in deployment order. */
    public Map<String, Long> countsByRoute() {
        Map<String, Long> counts = new LinkedHashMap<>();
        List<CompiledRoute> routes = table.routes();
        for (int i = 0; i < routes.size(); i++) {
            counts.put(routes.get(i).name(), counters.perRoute[i].sum());
        }
        return counts;
    }

    /** Messages no route matched. */
    public long unrouted() {
        return counters.unrouted.sum();
    }

    /** Deliveries a sink refused at once. */
    public long undeliverable() {
        return counters.undeliverable.sum();
    }

    /** Messages whose body a {@code $body} route could not read (see {@link RouteTable#unreadableBodies()}). */
    public long unreadableBodies() {
        return table.unreadableBodies();
    }

    /** Route condition evaluations that failed (see {@link RouteTable#conditionFailures()}). */
    public long conditionFailures() {
        return table.conditionFailures();
    }

    /** Dead letters not sent back into the function that gave up on them. */
    public long deadLetterLoops() {
        return counters.deadLetterLoops.sum();
    }
}
