package io.edgefn.runtime;

import io.edgefn.api.Message;
import java.util.concurrent.CompletableFuture;

/**
 * The way into a host's routing for producers outside it: the edge hub's MQTT clients, tools,
 * tests. Every message passes the host's one ingress, which keeps or stamps its id, stamps
 * {@code enqueuedTime} and overwrites its connection from the {@link MessageOrigin}.
 *
 * <p>Thread-safe. {@link #offer} never blocks (event loops); {@link #submit} may wait for room.
 */
public interface HostIngress {

    /**
     * Routes {@code message} from {@code origin} without ever blocking: a full sink refuses at
     * once, and the answer says when to slow down and when to resume.
     */
    Admission offer(Message message, MessageOrigin origin);

    /** Routes {@code message} from {@code origin}, waiting for room in a full function queue. */
    CompletableFuture<Void> submit(Message message, MessageOrigin origin);
}
