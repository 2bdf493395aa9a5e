package io.edgefn.deploy;

/**
 * One route of a deployment, as written: its text is compiled by the route compiler, not here.
 *
 * @param name           the route's name, its key under {@code routes}
 * @param text           the route statement, e.g. {@code FROM /messages/* INTO $upstream}
 * @param priority       0 (highest) to 9, or {@code null} when none was given (the default band
 *                       after 9)
 * @param timeToLiveSecs how long its messages may wait, in seconds; 0 means the deployment's
 *                       {@link StoreAndForward#timeToLiveSecs()}
 * @param durable        whether messages routed to a function input are kept on disk rather than
 *                       in memory
 * @param location       where the route is in the document, e.g. {@code routes.up}, for messages
 */
public record RouteEntry(String name, String text, Integer priority, long timeToLiveSecs,
        boolean durable, String location) {}
