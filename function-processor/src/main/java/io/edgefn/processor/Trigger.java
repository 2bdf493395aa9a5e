package io.edgefn.processor;

/** What starts a method: a route input or a timer. Immutable. */
sealed interface Trigger {

    /** Each message routed to the function's {@code input}. */
    record Route(String input) implements Trigger {
    }

    /** A fixed-rate timer; the period as written and in milliseconds. */
    record FixedRate(String fixedRate, long fixedRateMillis) implements Trigger {
    }

    /** An NCRONTAB timer, evaluated in UTC. */
    record Cron(String cron) implements Trigger {
    }
}
