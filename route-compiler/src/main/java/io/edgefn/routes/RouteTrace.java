package io.edgefn.routes;

import io.edgefn.routes.internal.Printable;

import java.util.List;

/**
 * Why a message went where it went: for every route of a table, whether its source matched, what
 * its condition gave and why, and whether it delivered. Immutable.
 *
 * <p>The fields hold names and values as they are; {@link #explain()} and {@link #line(Entry)},
 * the text for people and logs, escape control characters in them (a route name or a module id
 * is the deployment's to choose, a property value the device's).
 *
 * @param messageSource the message's source ({@code /messages/modules/m/outputs/o})
 * @param entries       one entry per route, in the table's order
 */
public record RouteTrace(String messageSource, List<Entry> entries) {

    /** Copies the entries. */
    public RouteTrace {
        entries = List.copyOf(entries);
    }

    /** What happened to one route. */
    public enum Outcome {
        /** The route's source does not match the message's source. */
        SOURCE_MISMATCH,
        /** The condition is False. */
        CONDITION_FALSE,
        /** The condition is Undefined (a property missing, the body not JSON …): the route does not fire. */
        CONDITION_UNDEFINED,
        /** The route matched and delivers to its sink. */
        DELIVERED,
        /** The route matched, but another route to the same sink with a better priority delivers instead. */
        SUPERSEDED
    }

    /**
     * One route's part in the trace.
     *
     * @param route   the route
     * @param outcome what happened
     * @param reasons why, for a person (missing properties, body problems, the better route …)
     */
    public record Entry(CompiledRoute route, Outcome outcome, List<String> reasons) {
        /** Copies the reasons. */
        public Entry {
            reasons = List.copyOf(reasons);
        }
    }

    /** The entries of routes that deliver. */
    public List<Entry> delivered() {
        return entries.stream().filter(e -> e.outcome() == Outcome.DELIVERED).toList();
    }

    /**
     * The trace in words, one line per route, for a person asking why a route did (not) fire;
     * control characters are escaped.
     */
    public String explain() {
        StringBuilder out = new StringBuilder();
        long delivered = entries.stream().filter(e -> e.outcome() == Outcome.DELIVERED).count();
        out.append(Printable.escape("message from " + messageSource + ": " + delivered
                + (delivered == 1 ? " delivery" : " deliveries"))).append('\n');
        for (Entry e : entries) {
            CompiledRoute r = e.route();
            StringBuilder line = new StringBuilder();
            line.append("route '").append(r.name()).append("' (FROM ").append(r.source()).append(" INTO ")
                    .append(r.sink().address()).append("): ");
            line.append(switch (e.outcome()) {
                case SOURCE_MISMATCH -> "not considered: its source " + r.source() + " does not match " + messageSource;
                case CONDITION_FALSE -> "did not fire: the condition '" + r.conditionText() + "' is false";
                case CONDITION_UNDEFINED -> "did not fire: the condition '" + r.conditionText()
                        + "' is undefined (only true fires)";
                case DELIVERED -> "fired: delivers to " + r.sink().address() + " with priority " + priorityText(r.priority());
                case SUPERSEDED -> "matched, but the same sink is delivered by a route with a better priority";
            });
            for (String reason : e.reasons()) {
                line.append("; ").append(reason);
            }
            out.append("  ").append(Printable.escape(line.toString())).append('\n');
        }
        return out.toString();
    }

    /**
     * One entry as one line for a log: {@code route 'name' OUTCOME for a message from SOURCE:
     * reasons}, control characters escaped.
     */
    public String line(Entry entry) {
        return Printable.escape("route '" + entry.route().name() + "' " + entry.outcome() + " for a message from "
                + messageSource + (entry.reasons().isEmpty() ? "" : ": " + String.join("; ", entry.reasons())));
    }

    private static String priorityText(int priority) {
        return priority == RouteSpec.DEFAULT_PRIORITY ? "default" : Integer.toString(priority);
    }
}
