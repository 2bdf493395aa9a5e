package io.edgefn.routes;

import java.util.List;

/**
 * Why a message went where it went: for every route of a table, whether its source matched, what
 * its condition gave and why, and whether it delivered. Immutable.
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

    /** The trace in words, one line per route, for a person asking why a route did (not) fire. */
    public String explain() {
        StringBuilder out = new StringBuilder();
        long delivered = entries.stream().filter(e -> e.outcome() == Outcome.DELIVERED).count();
        out.append("message from ").append(messageSource).append(": ").append(delivered)
                .append(delivered == 1 ? " delivery" : " deliveries").append('\n');
        for (Entry e : entries) {
            CompiledRoute r = e.route();
            out.append("  route '").append(r.name()).append("' (FROM ").append(r.source()).append(" INTO ")
                    .append(r.sink().address()).append("): ");
            out.append(switch (e.outcome()) {
                case SOURCE_MISMATCH -> "not considered: its source " + r.source() + " does not match " + messageSource;
                case CONDITION_FALSE -> "did not fire: the condition '" + r.conditionText() + "' is false";
                case CONDITION_UNDEFINED -> "did not fire: the condition '" + r.conditionText()
                        + "' is undefined (only true fires)";
                case DELIVERED -> "fired: delivers to " + r.sink().address() + " with priority " + priorityText(r.priority());
                case SUPERSEDED -> "matched, but the same sink is delivered by a route with a better priority";
            });
            for (String reason : e.reasons()) {
                out.append("; ").append(reason);
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String priorityText(int priority) {
        return priority == RouteSpec.DEFAULT_PRIORITY ? "default" : Integer.toString(priority);
    }
}
