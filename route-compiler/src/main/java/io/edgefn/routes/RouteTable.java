package io.edgefn.routes;

import io.edgefn.api.Message;
import io.edgefn.routes.internal.BodyPlan;
import io.edgefn.routes.internal.Condition;
import io.edgefn.routes.internal.EvalContext;
import io.edgefn.routes.internal.SourceIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;

/**
 * The compiled routes of a deployment, ready to route messages: an index from message source to
 * candidate routes, each route's compiled condition, and the sinks.
 *
 * <p>Routing follows edgeHub's {@code Evaluator}: take the routes whose source matches and whose
 * condition is True, group them by sink, and deliver once per sink with the route of the
 * numerically lowest priority (the first such route on a tie), which brings its time to live and
 * durability. Routing a message whose conditions read no {@code $body} allocates nothing.
 *
 * <p>No message is lost to a condition: a body marked as JSON that cannot be read (malformed,
 * nested too deep, too long) makes {@code $body} undefined for the routes that read it, as
 * edgeHub does, and is counted in {@link #unreadableBodies()}; the routes that do not read the
 * body route the message as usual. A condition whose evaluation fails all the same is undefined
 * for that message and counted in {@link #conditionFailures()}.
 *
 * <p>Immutable but for those two counters, and thread-safe: any number of threads may route at
 * once, and a {@link DeliveryConsumer} may route again from inside {@code deliver}.
 */
public final class RouteTable {

    private final List<CompiledRoute> routes;
    private final List<Diagnostic> warnings;
    private final Condition[] conditions;
    private final int[] sinkOf;
    private final int[] priorities;
    private final Sink[] sinks;
    private final SourceIndex index;
    private final BodyPlan bodyPlan;
    private final ThreadLocal<Scratch> scratch;
    private final LongAdder unreadableBodies = new LongAdder();
    private final LongAdder conditionFailures = new LongAdder();

    /** Per-thread working state of {@link #route}; {@code busy} guards against re-entrant use. */
    private static final class Scratch {
        final EvalContext context;
        final int[] best;
        final int[] touched;
        /** Entries of {@code touched} in use: reset in {@code end} even when a condition threw mid-way. */
        int count;
        boolean busy;

        Scratch(int sinkCount, BodyPlan plan) {
            context = new EvalContext(null, plan);
            best = new int[sinkCount];
            Arrays.fill(best, -1);
            touched = new int[sinkCount];
        }
    }

    RouteTable(List<CompiledRoute> routes, List<Diagnostic> warnings) {
        this.routes = List.copyOf(routes);
        this.warnings = List.copyOf(warnings);
        int n = routes.size();
        conditions = new Condition[n];
        sinkOf = new int[n];
        priorities = new int[n];
        Map<Sink, Integer> sinkIds = new LinkedHashMap<>();
        List<String> sources = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            CompiledRoute r = routes.get(i);
            conditions[i] = r.condition();
            priorities[i] = r.priority();
            sinkOf[i] = sinkIds.computeIfAbsent(r.sink(), s -> sinkIds.size());
            sources.add(r.source());
        }
        sinks = sinkIds.keySet().toArray(Sink[]::new);
        index = new SourceIndex(sources);
        bodyPlan = BodyPlan.of(Arrays.asList(conditions)); // every route's $body paths, extracted once per message
        scratch = ThreadLocal.withInitial(() -> new Scratch(sinks.length, bodyPlan));
    }

    /**
     * Routes {@code message}: calls {@code consumer} once per matched sink, in the order of the
     * first route that matched each sink. The deliveries are decided before the first call, so a
     * consumer may route other messages; an exception from the consumer propagates and the
     * remaining deliveries of this message are not made.
     *
     * @return the number of deliveries made
     */
    public int route(Message message, DeliveryConsumer consumer) {
        Scratch s = begin();
        try {
            int count = decide(message, s);
            for (int i = 0; i < count; i++) {
                CompiledRoute winner = routes.get(s.best[s.touched[i]]);
                consumer.deliver(winner.sink(), winner.priority(), winner.timeToLiveSecs(), winner.durable(), winner.name());
            }
            return count;
        } finally {
            end(s);
        }
    }

    /**
     * Routes {@code message} as {@link #route(Message, DeliveryConsumer)} does, but names each
     * delivery by the index in {@link #routes()} of the route that won its sink: a host that bound
     * every route to its target once, in an array, delivers without a look-up per message.
     *
     * @return the number of deliveries made
     */
    public int routeWinners(Message message, IntConsumer winners) {
        Scratch s = begin();
        try {
            int count = decide(message, s);
            for (int i = 0; i < count; i++) {
                winners.accept(s.best[s.touched[i]]);
            }
            return count;
        } finally {
            end(s);
        }
    }

    private Scratch begin() {
        Scratch s = scratch.get();
        if (s.busy) {
            s = new Scratch(sinks.length, bodyPlan);
        }
        s.busy = true;
        return s;
    }

    /** Evaluates the candidate routes; leaves the winner of each matched sink in {@code s.best}, those sinks in {@code s.touched}. */
    private int decide(Message message, Scratch s) {
        s.context.reset(message);
        int[] candidates = index.candidates(message);
        int[] best = s.best;
        for (int r : candidates) {
            if (conditions[r].evaluate(s.context) > 0) {
                int sink = sinkOf[r];
                int current = best[sink];
                if (current < 0) {
                    best[sink] = r;
                    s.touched[s.count++] = sink;
                } else if (priorities[r] < priorities[current]) {
                    best[sink] = r;
                }
            }
        }
        if (s.context.bodyUnreadable()) {
            unreadableBodies.increment();
        }
        if (s.context.conditionFailures() > 0) {
            conditionFailures.add(s.context.conditionFailures());
        }
        s.context.reset(null);
        return s.count;
    }

    private static void end(Scratch s) {
        for (int i = 0; i < s.count; i++) {
            s.best[s.touched[i]] = -1;
        }
        s.count = 0;
        s.context.reset(null);
        s.busy = false;
    }

    /**
     * Why {@code message} goes where it goes: every route's outcome and its reasons. Allocates; for
     * people and logs. Counts nothing (the message is counted when it is routed).
     */
    public RouteTrace trace(Message message) {
        EvalContext context = new EvalContext(message);
        String source = message.source();
        List<RouteTrace.Entry> entries = new ArrayList<>();
        int[] candidates = index.candidates(message);
        Map<Integer, Integer> bestBySink = new LinkedHashMap<>();
        int[] results = new int[routes.size()];
        String[] failures = new String[routes.size()];
        for (int r : candidates) {
            int failed = context.conditionFailures();
            results[r] = conditions[r].evaluate(context);
            if (context.conditionFailures() > failed) {
                failures[r] = context.lastFailure();
            }
            if (results[r] > 0) {
                Integer current = bestBySink.get(sinkOf[r]);
                if (current == null || priorities[r] < priorities[current]) {
                    bestBySink.put(sinkOf[r], r);
                }
            }
        }
        Set<Integer> candidateSet = new LinkedHashSet<>();
        for (int r : candidates) {
            candidateSet.add(r);
        }
        for (int r = 0; r < routes.size(); r++) {
            CompiledRoute route = routes.get(r);
            if (!candidateSet.contains(r)) {
                entries.add(new RouteTrace.Entry(route, RouteTrace.Outcome.SOURCE_MISMATCH, List.of()));
            } else if (results[r] > 0) {
                int winner = bestBySink.get(sinkOf[r]);
                entries.add(winner == r
                        ? new RouteTrace.Entry(route, RouteTrace.Outcome.DELIVERED, List.of())
                        : new RouteTrace.Entry(route, RouteTrace.Outcome.SUPERSEDED,
                                List.of("route '" + routes.get(winner).name() + "' has priority "
                                        + routes.get(winner).priority() + ", this one " + route.priority())));
            } else if (results[r] < 0) {
                entries.add(new RouteTrace.Entry(route, RouteTrace.Outcome.CONDITION_FALSE, List.of()));
            } else {
                entries.add(new RouteTrace.Entry(route, RouteTrace.Outcome.CONDITION_UNDEFINED,
                        failures[r] != null ? List.of(failures[r]) : undefinedReasons(conditions[r], context)));
            }
        }
        return new RouteTrace(source, entries);
    }

    private static List<String> undefinedReasons(Condition condition, EvalContext context) {
        List<String> reasons;
        try {
            reasons = condition.undefinedReasons(context);
        } catch (RuntimeException e) {
            return List.of("the reasons cannot be worked out: " + e);
        }
        return reasons.isEmpty()
                ? List.of("a value in it is undefined (e.g. as_number of a non-number, or a comparison with null)")
                : reasons;
    }

    /**
     * Messages routed through this table whose body a {@code $body} condition had to read but
     * could not: marked as JSON ({@code contentType application/json} and a supported
     * {@code contentEncoding}) but malformed or beyond the reader's limits (nesting depth 1,000,
     * strings of 20 million characters, numbers of 1,000 digits). Each such message counts once,
     * however many conditions read its body; a message with no {@code $body} condition among its
     * candidate routes is never read and never counted. {@link #trace} counts nothing.
     */
    public long unreadableBodies() {
        return unreadableBodies.sum();
    }

    /**
     * Condition evaluations that failed with an exception while routing (each is undefined for its
     * message; the message's other routes are unaffected). Zero unless the evaluator has a bug:
     * {@link #trace} names the failure.
     */
    public long conditionFailures() {
        return conditionFailures.sum();
    }

    /** The routes, in the order given. */
    public List<CompiledRoute> routes() {
        return routes;
    }

    /** Every sink some route delivers to, in the order of first use: the wiring plan's targets. */
    public Set<Sink> sinks() {
        return new LinkedHashSet<>(Arrays.asList(sinks));
    }

    /** The routes that deliver to {@code sink}. */
    public List<CompiledRoute> routesTo(Sink sink) {
        return routes.stream().filter(r -> r.sink().equals(sink)).toList();
    }

    /** The warnings of every route and of the deployment's wiring, with route names. */
    public List<Diagnostic> warnings() {
        return warnings;
    }
}
