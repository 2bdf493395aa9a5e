package io.edgefn.deploy;

/**
 * What triggers a function method, as the function index records it: a route input or a timer.
 */
public sealed interface TriggerDescriptor {

    /**
     * Each message routed to the function's input {@code input} triggers the method.
     *
     * @param input the input's name
     */
    record Route(String input) implements TriggerDescriptor {}

    /**
     * A timer triggers the method: exactly one of a fixed rate and a cron expression is set.
     *
     * @param fixedRate       the fixed rate as an ISO-8601 duration, e.g. {@code PT1S}, or {@code null}
     * @param fixedRateMillis the fixed rate in milliseconds (positive), or {@code null} with a cron
     * @param cron            a six-field NCRONTAB expression in UTC, or {@code null} with a fixed rate
     */
    record Timer(String fixedRate, Long fixedRateMillis, String cron) implements TriggerDescriptor {}
}
