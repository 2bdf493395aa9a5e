package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.runtime.Admission;
import io.edgefn.runtime.HostListener;
import io.edgefn.runtime.MessageOrigin;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one way into the host's routing: a device's frame, a function's output, a tool's message
 * and — later — MQTT clients and the upstream link all pass here. Ingress
 * <ul>
 *   <li>keeps a producer's {@code messageId} (a resent message keeps its id: that is what
 *       de-duplication downstream relies on) and stamps one only when absent — unique across
 *       restarts and gateways ({@link MessageIds});</li>
 *   <li>stamps {@code enqueuedTime}: when the message entered this host;</li>
 *   <li>overwrites {@code connectionDeviceId}, {@code connectionModuleId} and
 *       {@code connectionAuthMethod} from the {@link MessageOrigin} it is given, never trusting
 *       what a client wrote there;</li>
 *   <li>walks the current {@link RouteGraph}, which it holds in one reference that
 *       {@link #swap} replaces atomically (a deployment update).</li>
 * </ul>
 * Three forms, by what the producer's thread can afford (see {@link Patience}):
 * {@link #offer} never blocks and says when to slow down (event loops); {@link #submitFromDevice}
 * waits only for the safety path (a device's reader); {@link #submit} may wait for room (threads
 * that may wait).
 *
 * <p>Thread-safe.
 */
public final class Ingress {

    private final InstantSource clock;
    private final MessageIds ids;
    private final HostListener listener;
    private final AtomicReference<RouteGraph> graph = new AtomicReference<>();

    /** An ingress with no route graph yet: it refuses everything until {@link #swap} binds one. */
    public Ingress(InstantSource clock, HostListener listener) {
        this.clock = clock;
        this.ids = new MessageIds(clock);
        this.listener = listener;
    }

    /** Makes {@code next} the graph every message from now on walks; returns the one it replaces (or null). */
    public RouteGraph swap(RouteGraph next) {
        return graph.getAndSet(next);
    }

    /**
     * As {@link #swap}, then waits until every walk that began on the replaced graph has handed its
     * message to that graph's sinks, for {@code wait} at most: from then on nothing reaches the
     * replaced graph's sinks any more, so they may be drained and stopped without refusing a
     * message that was already on its way. Returns whether every such walk ended in time.
     */
    public boolean swapAndSettle(RouteGraph next, java.time.Duration wait) {
        RouteGraph old = graph.getAndSet(next);
        if (old == null) {
            return true;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (old.walking() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000);
        }
        return true;
    }

    /** The current graph with one more walk counted on it, or null; see {@link RouteGraph#walking()}. */
    private RouteGraph enter() {
        while (true) {
            RouteGraph g = graph.get();
            if (g == null) {
                return null;
            }
            g.enterWalk();
            if (graph.get() == g) {
                return g;
            }
            g.exitWalk(); // swapped meanwhile: walk the new one
        }
    }

    /** The current graph, or null before the first {@link #swap} and after {@link #close}. */
    public RouteGraph graph() {
        return graph.get();
    }

    /** Refuses every message from now on. */
    public void close() {
        graph.set(null);
    }

    /**
     * Routes {@code message} without ever blocking: a full sink refuses at once, and the answer
     * says whether to slow down. For event loops.
     */
    public Admission offer(Message message, MessageOrigin origin) {
        RouteGraph g = enter();
        if (g == null) {
            return new Admission(notRunning(), false, Runnable::run);
        }
        RouteGraph.Walk walk;
        try {
            walk = route(g, stamp(message, origin), Patience.NONE);
        } finally {
            g.exitWalk();
        }
        List<MessageSink> congested = walk.congested();
        return new Admission(walk.taken(), !congested.isEmpty(), action -> whenAllRelieved(congested, 0, action));
    }

    /** Routes {@code message}, waiting up to the queue wait for room in a full function queue. */
    public CompletableFuture<Void> submit(Message message, MessageOrigin origin) {
        return walk(message, origin, Patience.QUEUE_WAIT);
    }

    /**
     * Routes a message a device driver just read, on the driver's reader thread: it never waits for
     * room in an ordinary function's full queue — that would hold up the device's next frames, the
     * safety path's among them — so there the delivery fails at once (counted as undeliverable);
     * the safety path's functions and durable sinks are waited for as usual.
     */
    public CompletableFuture<Void> submitFromDevice(Message message, MessageOrigin origin) {
        return walk(message, origin, Patience.SAFETY_PATH);
    }

    /** Routes a function's dead letter through the graph's view that keeps it out of the function itself. */
    CompletableFuture<Void> submitDeadLetter(Message letter, MessageOrigin origin) {
        RouteGraph g = enter();
        if (g == null) {
            return notRunning();
        }
        try {
            return route(g.forDeadLettersOf(origin.moduleId()), stamp(letter, origin), Patience.QUEUE_WAIT).taken();
        } finally {
            g.exitWalk();
        }
    }

    private CompletableFuture<Void> walk(Message message, MessageOrigin origin, Patience patience) {
        RouteGraph g = enter();
        if (g == null) {
            return notRunning();
        }
        try {
            return route(g, stamp(message, origin), patience).taken();
        } finally {
            g.exitWalk();
        }
    }

    private RouteGraph.Walk route(RouteGraph g, Message stamped, Patience patience) {
        RouteGraph.Walk walk = g.walk(stamped, patience);
        int deliveries = walk.deliveries();
        Listeners.safely(() -> listener.messageRouted(stamped, deliveries));
        return walk;
    }

    /** {@code message} with its id (kept, or new), {@code enqueuedTime} and its connection as the host knows it. */
    Message stamp(Message message, MessageOrigin origin) {
        Message.Builder b = message.toBuilder()
                .systemProperty(SystemProperties.ENQUEUED_TIME, clock.instant().toString())
                .systemProperty(SystemProperties.CONNECTION_DEVICE_ID, origin.deviceId())
                .systemProperty(SystemProperties.CONNECTION_MODULE_ID, origin.moduleId())
                .systemProperty(SystemProperties.CONNECTION_AUTH_METHOD, origin.authMethod());
        if (message.systemProperty(SystemProperties.MESSAGE_ID) == null) {
            b.systemProperty(SystemProperties.MESSAGE_ID, ids.next());
        }
        if (origin.serial()) {
            // Where a control loop starts (see ControlLoop).
            b.systemProperty(ControlLoop.ARRIVAL_PROPERTY, ControlLoop.arrivalNow());
        }
        return b.build();
    }

    private static void whenAllRelieved(List<MessageSink> congested, int from, Runnable action) {
        if (from == congested.size()) {
            action.run();
        } else {
            congested.get(from).whenRelieved(() -> whenAllRelieved(congested, from + 1, action));
        }
    }

    private static CompletableFuture<Void> notRunning() {
        return CompletableFuture.failedFuture(new IllegalStateException("the host is not running"));
    }
}
