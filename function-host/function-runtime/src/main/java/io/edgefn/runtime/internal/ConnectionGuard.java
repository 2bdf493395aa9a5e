package io.edgefn.runtime.internal;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the management API's connections few and short-lived, so that idle or slow clients can
 * hold neither the process's file descriptors (which the buffer's segments and the serial ports
 * need too) nor the API itself.
 *
 * <p>At most {@code maxConnections} are open at once. A connection is <em>waiting</em> from the
 * moment it opens, and again after each response, until the next request's head has arrived; a
 * waiting connection is closed after {@code requestReadTimeout}, so a client that sends nothing,
 * or trickles a request byte by byte (slowloris), holds its slot that long at most. When a
 * connection arrives with every slot taken, the connection that has waited longest is closed to
 * make room: refusing the newcomer instead would let a handful of idle sockets lock
 * {@code /health} out for the whole timeout. Only when no connection is waiting — every one is
 * in the middle of a request, which the handlers answer at once or, for {@code POST /messages},
 * once its body has arrived (within the same timeout) and the message's sinks took it — is the
 * newcomer closed.
 *
 * <p>Confined to the server's one event loop: every method is called there (checked), and the
 * only state read from elsewhere is {@link #openConnections()}.
 */
final class ConnectionGuard {

    private final Vertx vertx;
    private final int maxConnections;
    private final long requestReadTimeoutMillis;
    private final Set<HttpConnection> open = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The waiting connections, longest waiting first, with the timer that closes each. */
    private final Map<HttpConnection, Long> waiting = new LinkedHashMap<>();
    private volatile int openCount;

    ConnectionGuard(Vertx vertx, int maxConnections, Duration requestReadTimeout) {
        this.vertx = vertx;
        this.maxConnections = maxConnections;
        this.requestReadTimeoutMillis = Math.max(1, requestReadTimeout.toMillis());
    }

    /** Admits {@code connection}, just opened, making room for it if every slot is taken. */
    void onConnection(HttpConnection connection) {
        checkEventLoop();
        connection.closeHandler(v -> onClose(connection));
        if (open.size() >= maxConnections) {
            Iterator<HttpConnection> longest = waiting.keySet().iterator();
            if (!longest.hasNext()) {
                connection.close();
                return;
            }
            close(longest.next());
        }
        open.add(connection);
        openCount = open.size();
        awaitRequest(connection);
    }

    /**
     * Marks {@code request}'s connection busy until its response ends; returns false when the
     * connection was already closed here (a request that slipped in before the close took
     * effect), which must not be answered.
     */
    boolean onRequest(HttpServerRequest request) {
        checkEventLoop();
        HttpConnection connection = request.connection();
        if (!open.contains(connection)) {
            connection.close();
            return false;
        }
        Long timer = waiting.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
        request.response().endHandler(v -> {
            if (open.contains(connection) && !waiting.containsKey(connection)) {
                awaitRequest(connection);
            }
        });
        return true;
    }

    /** How many connections are open now; readable from any thread. */
    int openConnections() {
        return openCount;
    }

    private void awaitRequest(HttpConnection connection) {
        long timer = vertx.setTimer(requestReadTimeoutMillis, id -> {
            if (waiting.remove(connection) != null) {
                close(connection);
            }
        });
        waiting.put(connection, timer);
    }

    /** Closes {@code connection} and frees its slot now, not when the close completes. */
    private void close(HttpConnection connection) {
        Long timer = waiting.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
        open.remove(connection);
        openCount = open.size();
        connection.close();
    }

    private void onClose(HttpConnection connection) {
        checkEventLoop();
        Long timer = waiting.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
        open.remove(connection);
        openCount = open.size();
    }

    private static void checkEventLoop() {
        if (!Context.isOnEventLoopThread()) {
            throw new IllegalStateException("the management API's connections are handled on its event loop only, "
                    + "not on " + Thread.currentThread().getName());
        }
    }
}
