package io.edgefn.routes;

/** Receives the deliveries {@link RouteTable#route} decides on, one call per matched sink. */
@FunctionalInterface
public interface DeliveryConsumer {

    /**
     * Delivers the message being routed to {@code sink}.
     *
     * @param sink           where to deliver
     * @param priority       the best priority among the routes that matched this sink
     * @param timeToLiveSecs the time to live of that route (0 = the deployment's default)
     * @param durable        whether that route asks for a durable delivery
     * @param routeName      the name of that route
     */
    void deliver(Sink sink, int priority, long timeToLiveSecs, boolean durable, String routeName);
}
