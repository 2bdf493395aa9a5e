package io.edgefn.routes;

import io.edgefn.routes.internal.Printable;

/**
 * A route of a deployment as written: its name, its statement text and its delivery settings.
 *
 * @param name           the route's name in the deployment (used in every diagnostic)
 * @param text           the statement, {@code [SELECT *] FROM <source> [WHERE <condition>] INTO <sink>}
 * @param priority       0 (highest) to 9, or {@link #DEFAULT_PRIORITY} when the route gives none
 * @param timeToLiveSecs how long a message may wait for this sink; 0 means the deployment's default
 * @param durable        whether a delivery to a function input is kept on disk rather than in memory
 */
public record RouteSpec(String name, String text, int priority, long timeToLiveSecs, boolean durable) {

    /** The priority of a route that gives none: edgeHub's default band, after every explicit 0–9. */
    public static final int DEFAULT_PRIORITY = 2_000_000_000;

    /** The largest time to live edgeHub accepts (a {@code uint}). */
    public static final long MAX_TIME_TO_LIVE_SECS = 0xFFFF_FFFFL;

    /**
     * Checks every field at once.
     *
     * @throws IllegalArgumentException naming the route (control characters escaped) and each bad value
     */
    public RouteSpec {
        StringBuilder problems = new StringBuilder();
        if (name == null || name.isBlank()) {
            problems.append("; the name must not be empty");
        }
        if (text == null) {
            problems.append("; the route text must not be null");
        }
        if (priority != DEFAULT_PRIORITY && (priority < 0 || priority > 9)) {
            problems.append("; priority must be 0..9, was ").append(priority);
        }
        if (timeToLiveSecs < 0 || timeToLiveSecs > MAX_TIME_TO_LIVE_SECS) {
            problems.append("; timeToLiveSecs must be 0..").append(MAX_TIME_TO_LIVE_SECS)
                    .append(", was ").append(timeToLiveSecs);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("route '" + Printable.escape(name) + "': " + problems.substring(2));
        }
    }

    /** A route with the default priority, the default time to live and an in-memory delivery. */
    public static RouteSpec of(String name, String text) {
        return new RouteSpec(name, text, DEFAULT_PRIORITY, 0, false);
    }
}
