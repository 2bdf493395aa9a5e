package io.edgefn.runtime.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.runtime.HostException;
import io.edgefn.runtime.HostStats;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The host's management API on loopback: {@code GET /status} (the host's counters as JSON) and
 * {@code GET /health} ({@code 200} while every function runs, {@code 503} otherwise). Served by
 * Vert.x on one event loop; the handlers only read counters, so they never block it.
 */
final class ManagementApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final HttpServer server;

    private ManagementApi(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Serves on {@code 127.0.0.1:port} (0 picks a free port). */
    static ManagementApi start(int port, Supplier<HostStats> stats) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        try {
            HttpServer server = vertx.createHttpServer().requestHandler(request -> {
                HostStats s = stats.get();
                String path = request.path();
                try {
                    if (path.equals("/status")) {
                        request.response().putHeader("content-type", "application/json")
                                .end(JSON.writeValueAsString(s));
                    } else if (path.equals("/health")) {
                        boolean healthy = s.functions().values().stream()
                                .allMatch(f -> f.state() == io.edgefn.runtime.FunctionState.RUNNING && f.stuck() == 0);
                        request.response().setStatusCode(healthy ? 200 : 503)
                                .putHeader("content-type", "application/json")
                                .end("{\"healthy\":" + healthy + "}");
                    } else {
                        request.response().setStatusCode(404).end("unknown path " + path + "; try /status or /health\n");
                    }
                } catch (Exception e) {
                    request.response().setStatusCode(500).end(e.toString());
                }
            }).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return new ManagementApi(vertx, server);
        } catch (Exception e) {
            vertx.close();
            throw new HostException("cannot serve the management API on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    /** The port served. */
    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Closing on shutdown: nothing more to do.
        }
    }
}
