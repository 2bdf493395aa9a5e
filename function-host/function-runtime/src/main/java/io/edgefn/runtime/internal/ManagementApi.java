package io.edgefn.runtime.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.api.Message;
import io.edgefn.runtime.Admission;
import io.edgefn.runtime.HostException;
import io.edgefn.runtime.HostStats;
import io.edgefn.runtime.MessageOrigin;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The host's management API on loopback: {@code GET /status} (the host's counters as JSON),
 * {@code GET /metrics} (the same and more in the Prometheus text format, see {@link HostMetrics}),
 * {@code GET /health} ({@code 200} while every function runs, none is stuck and the offline
 * buffer's disk takes writes; {@code 503} otherwise) and {@code POST /messages} (one message into
 * the host's ingress as a device's, for a holder of the data directory's token: see
 * {@link MessagePost}), and, with the same token, the live deployment changes
 * {@code POST /deployments}, {@code POST /deployments/rollback} and {@code GET /deployments}
 * (see {@link DeploymentsEndpoint}), and the live dashboard under {@code /dashboard}, entered
 * through a one-time login link and a session cookie (see {@link Dashboard}). Served by Vert.x on
 * one event loop; the handlers only read counters or offer a message without blocking, so they
 * never block it. docs/management-api.md describes
 * the API for its users.
 *
 * <p>Loopback is not a trust boundary: any local process, and any web page through a browser
 * whose DNS name was rebound to 127.0.0.1, can reach the port. So the API answers only requests
 * whose {@code Host} is one of the names it is served under ({@code localhost},
 * {@code 127.0.0.1}, {@code [::1]}, with the port), anything else with {@code 421}; a method
 * other than the path's own gets {@code 405} with {@code Allow}. Every call but
 * {@code GET /health} needs the bearer token besides, which only the data directory's owner can
 * read ({@code GET /status} too: it names the functions, devices and brokers, which
 * is more than a probe needs). {@code /health} stays open for monitoring probes. Bound to another
 * address than loopback ({@link Listen}), the {@code Host} check is dropped and the token is what
 * guards the API; served over TLS ({@link Listen#tlsKey}) the token does not cross the network in
 * clear. (Started without {@link Messages}, as some tests do, there is no token and
 * {@code /status} is open.) Connections
 * are capped and timed out ({@link Limits}, enforced by {@link ConnectionGuard}), so idle or slow
 * clients cannot exhaust the process's file descriptors, which the buffer and the serial ports
 * need as much as the API does.
 *
 * <p>The functions' {@code @HttpTrigger} paths, {@code /fn/…}, are served on the same port but are
 * not part of this API: after the {@code Host} check they go to {@link FunctionHttp}, which needs
 * no token on loopback and never looks at the management token. Bound to another address than
 * loopback the API does not serve them at all (404): without a token they must stay on this machine.
 */
final class ManagementApi implements AutoCloseable {

    /** Connections open at once, by default; more evict the longest-waiting one. */
    static final int MAX_CONNECTIONS = 64;
    /** How long a connection may stay without any traffic either way, by default. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** How long a connection may take to deliver a request's head, by default (slowloris). */
    static final Duration REQUEST_READ_TIMEOUT = Duration.ofSeconds(10);

    /**
     * How many connections the API holds, and for how long.
     *
     * @param maxConnections connections open at once
     * @param idleTimeout how long a connection may stay without traffic either way
     * @param requestReadTimeout how long a connection may take, from its opening or from the last
     *     response, to deliver the head of a request
     */
    record Limits(int maxConnections, Duration idleTimeout, Duration requestReadTimeout) {
        /** The limits a host runs with. */
        static final Limits DEFAULT = new Limits(MAX_CONNECTIONS, IDLE_TIMEOUT, REQUEST_READ_TIMEOUT);

        /** Checks every limit at once, naming the bad ones. */
        Limits {
            List<String> bad = new ArrayList<>();
            if (maxConnections < 1) {
                bad.add("maxConnections must be at least 1, was " + maxConnections);
            }
            if (idleTimeout == null || idleTimeout.toMillis() < 1) {
                bad.add("idleTimeout must be at least 1 ms, was " + idleTimeout);
            }
            if (requestReadTimeout == null || requestReadTimeout.toMillis() < 1) {
                bad.add("requestReadTimeout must be at least 1 ms, was " + requestReadTimeout);
            }
            if (!bad.isEmpty()) {
                throw new IllegalArgumentException("management API limits: " + String.join("; ", bad));
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Each path and the one method it answers. */
    private static final Map<String, HttpMethod> PATHS = Map.of("/status", HttpMethod.GET, "/health", HttpMethod.GET,
            "/messages", HttpMethod.POST, "/metrics", HttpMethod.GET);
    /** What Prometheus expects of its text format (the registry writes version 0.0.4). */
    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final List<String> HOST_NAMES = List.of("localhost", "127.0.0.1", "[::1]");

    private final Vertx vertx;
    /** Whether {@link #vertx} is this API's own, to close with it, or shared with the edge hub. */
    private final boolean ownsVertx;
    private final HttpServer server;
    private final ConnectionGuard guard;

    private ManagementApi(Vertx vertx, boolean ownsVertx, HttpServer server, ConnectionGuard guard) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.server = server;
        this.guard = guard;
    }

    /**
     * Where {@code POST /messages} sends what it takes.
     *
     * @param token the bearer token a request must carry (see {@link io.edgefn.runtime.DataDirectory#managementToken()})
     * @param ingress the host's non-blocking ingress ({@code offer}); called on the event loop
     * @param clock the host's clock, for the message ids stamped on the way in
     */
    record Messages(String token, BiFunction<Message, MessageOrigin, Admission> ingress, InstantSource clock,
                    Supplier<io.edgefn.runtime.Deployments> deployments, java.nio.file.Path packageStore) {

        /** Without package uploads ({@code /packages/…} answers 404). */
        Messages(String token, BiFunction<Message, MessageOrigin, Admission> ingress, InstantSource clock,
                 Supplier<io.edgefn.runtime.Deployments> deployments) {
            this(token, ingress, clock, deployments, null);
        }

        /** Without live deployment changes ({@code /deployments} answers 404) or uploads. */
        Messages(String token, BiFunction<Message, MessageOrigin, Admission> ingress, InstantSource clock) {
            this(token, ingress, clock, null, null);
        }
    }

    /**
     * Where and how the API listens.
     *
     * @param bind the address to listen on ({@code 127.0.0.1}: loopback only; any other drops the
     *     {@code Host} check, the token guarding every call but {@code GET /health})
     * @param port the port (0 picks a free one)
     * @param tlsKey the PEM private key to serve TLS with, or {@code null} for plain HTTP
     * @param tlsCertChain the PEM certificate chain (server certificate first) going with it
     */
    record Listen(String bind, int port, java.nio.file.Path tlsKey, java.nio.file.Path tlsCertChain) {
        /** Plain HTTP on {@code 127.0.0.1:port}. */
        static Listen loopback(int port) {
            return new Listen("127.0.0.1", port, null, null);
        }

        /** Whether only this machine can connect: a loopback address. */
        boolean loopbackOnly() {
            try {
                return java.net.InetAddress.getByName(bind).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
    }

    /**
     * Serves on {@code 127.0.0.1:port} (0 picks a free port) within the {@linkplain Limits#DEFAULT
     * default limits}, without {@code POST /messages}.
     */
    static ManagementApi start(int port, Supplier<HostStats> stats) {
        return start(null, port, stats, Map.of(), Limits.DEFAULT, null);
    }

    /**
     * Serves on {@code 127.0.0.1:port} on {@code shared} (null: a Vert.x of its own), with
     * {@code sections} added to {@code /status} under their names, and {@code POST /messages}
     * into {@code messages} (null: not served).
     */
    static ManagementApi start(Vertx shared, int port, Supplier<HostStats> stats, Map<String, Supplier<Object>> sections,
                               Messages messages) {
        return start(shared, Listen.loopback(port), stats, sections, Limits.DEFAULT, messages, null, null);
    }

    /**
     * As {@link #start(Vertx, int, Supplier, Map, Messages)}, handing the functions' paths
     * ({@code /fn/…}) to {@code functions} (null: not served) after the same {@code Host} check.
     */
    static ManagementApi start(Vertx shared, int port, Supplier<HostStats> stats, Map<String, Supplier<Object>> sections,
                               Messages messages, io.vertx.core.Handler<HttpServerRequest> functions) {
        return start(shared, Listen.loopback(port), stats, sections, Limits.DEFAULT, messages, functions, null);
    }

    /**
     * As {@link #start(Vertx, int, Supplier, Map, Messages, io.vertx.core.Handler)}, listening as
     * {@code listen} says (address, port, TLS).
     */
    static ManagementApi start(Vertx shared, Listen listen, Supplier<HostStats> stats, Map<String, Supplier<Object>> sections,
                               Messages messages, io.vertx.core.Handler<HttpServerRequest> functions) {
        return start(shared, listen, stats, sections, Limits.DEFAULT, messages, functions, null);
    }

    /**
     * As {@link #start(Vertx, Listen, Supplier, Map, Messages, io.vertx.core.Handler)}, serving
     * {@code GET /metrics} from {@code metrics} (the Prometheus text format; null: not served),
     * with the same token as {@code /status}.
     */
    static ManagementApi start(Vertx shared, Listen listen, Supplier<HostStats> stats, Map<String, Supplier<Object>> sections,
                               Messages messages, io.vertx.core.Handler<HttpServerRequest> functions,
                               Supplier<String> metrics) {
        return start(shared, listen, stats, sections, Limits.DEFAULT, messages, functions, metrics);
    }

    /** Serves on {@code 127.0.0.1:port} (0 picks a free port) within {@code limits}, without {@code POST /messages}. */
    static ManagementApi start(int port, Supplier<HostStats> stats, Limits limits) {
        return start(null, port, stats, Map.of(), limits, null);
    }

    /** Serves on {@code 127.0.0.1:port} (0 picks a free port) within {@code limits}, with {@code POST /messages}. */
    static ManagementApi start(int port, Supplier<HostStats> stats, Limits limits, Messages messages) {
        return start(null, port, stats, Map.of(), limits, messages);
    }

    private static ManagementApi start(Vertx shared, int port, Supplier<HostStats> stats, Map<String, Supplier<Object>> sections,
                                       Limits limits, Messages messages) {
        return start(shared, Listen.loopback(port), stats, sections, limits, messages, null, null);
    }

    private static ManagementApi start(Vertx shared, Listen listen, Supplier<HostStats> stats, Map<String, Supplier<Object>> sections,
                                       Limits limits, Messages messages, io.vertx.core.Handler<HttpServerRequest> functions,
                                       Supplier<String> metrics) {
        int port = listen.port();
        boolean checkHost = listen.loopbackOnly();
        Vertx vertx = shared != null ? shared : Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        try {
            ConnectionGuard guard = new ConnectionGuard(vertx, limits.maxConnections(), limits.requestReadTimeout());
            HttpServerOptions options = new HttpServerOptions()
                    .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, limits.idleTimeout().toMillis()))
                    .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                    // One request at a time per connection, which is what the guard counts.
                    .setHttp2ClearTextEnabled(false);
            if (listen.tlsKey() != null) {
                for (java.nio.file.Path file : List.of(listen.tlsKey(), listen.tlsCertChain())) {
                    if (!java.nio.file.Files.isReadable(file)) {
                        throw new IllegalArgumentException("the management API's TLS file " + file + " does not exist or cannot be read");
                    }
                }
                options.setSsl(true).setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions()
                        .setKeyPath(listen.tlsKey().toString()).setCertPath(listen.tlsCertChain().toString()));
            }
            HttpServer created = vertx.createHttpServer(options).connectionHandler(guard::onConnection);
            MessagePost post = messages == null ? null
                    : new MessagePost(vertx, messages.token(), messages.ingress(), messages.clock(), limits.requestReadTimeout());
            DeploymentsEndpoint deploymentsEndpoint = messages == null || messages.deployments() == null ? null
                    : new DeploymentsEndpoint(vertx, messages.token(), messages.deployments(), limits.requestReadTimeout());
            PackagesEndpoint packagesEndpoint = messages == null || messages.packageStore() == null ? null
                    : new PackagesEndpoint(vertx, messages.token(), messages.packageStore());
            Supplier<String> statusJson = () -> statusJson(stats.get(), sections, messages);
            Dashboard dashboard = messages == null ? null : new Dashboard(vertx, messages.token(), messages.clock(),
                    new java.security.SecureRandom(), statusJson, listen.tlsKey() != null);
            HttpServer server = created.requestHandler(request -> {
                if (!guard.onRequest(request) || refused(request, checkHost)) {
                    return;
                }
                String path = request.path();
                if (functions != null && FunctionHttp.isFunctionPath(path)) {
                    if (!checkHost) {
                        // Tokenless here because only this machine could reach them: not once the API is open.
                        request.response().setStatusCode(404).putHeader("content-type", "text/plain; charset=utf-8")
                                .end("the functions' paths are not served on a management API bound to " + listen.bind()
                                        + "; serve them with --function-http-bind, each with its function's token\n");
                        return;
                    }
                    functions.handle(request); // apart from this API: no management token, see FunctionHttp
                    return;
                }
                try {
                    if (Dashboard.answers(path)) {
                        if (dashboard == null) {
                            request.response().setStatusCode(404).end("this host serves no dashboard\n");
                        } else {
                            dashboard.handle(request);
                        }
                        return;
                    }
                    if (PackagesEndpoint.answers(path)) {
                        if (packagesEndpoint == null) {
                            request.response().setStatusCode(404).end("this host takes no package uploads here\n");
                        } else {
                            packagesEndpoint.handle(request);
                        }
                        return;
                    }
                    if (DeploymentsEndpoint.answers(path)) {
                        if (deploymentsEndpoint == null) {
                            request.response().setStatusCode(404).end("this host takes no deployments here\n");
                        } else {
                            deploymentsEndpoint.handle(request);
                        }
                        return;
                    }
                    if (path.equals("/messages")) {
                        if (post == null) {
                            request.response().setStatusCode(404).end("this host takes no messages here\n");
                        } else {
                            post.handle(request);
                        }
                        return;
                    }
                    if ((path.equals("/status") || path.equals("/metrics")) && messages != null
                            && !new BearerToken(messages.token()).admits(request.getHeader("Authorization"))) {
                        request.response().setStatusCode(401).putHeader("www-authenticate",
                                        BearerToken.challenge(request.getHeader("Authorization")))
                                .putHeader("content-type", "application/json")
                                .end("{\"error\":\"GET " + path + " needs 'Authorization: Bearer <token>' with the token in the "
                                        + "data directory's management.token\"}");
                        return;
                    }
                    if (path.equals("/metrics")) {
                        if (metrics == null) {
                            request.response().setStatusCode(404).end("this host serves no metrics here\n");
                        } else {
                            request.response().putHeader("content-type", METRICS_CONTENT_TYPE).end(metrics.get());
                        }
                        return;
                    }
                    HostStats s = stats.get();
                    if (path.equals("/status")) {
                        request.response().putHeader("content-type", "application/json").end(statusJson(s, sections, messages));
                    } else if (path.equals("/health")) {
                        boolean healthy = s.functions().values().stream()
                                .allMatch(f -> f.state() == io.edgefn.runtime.FunctionState.RUNNING && f.stuck() == 0)
                                && (s.buffer() == null || !s.buffer().diskFull());
                        request.response().setStatusCode(healthy ? 200 : 503)
                                .putHeader("content-type", "application/json")
                                .end("{\"healthy\":" + healthy + "}");
                    } else {
                        request.response().setStatusCode(404).end("unknown path " + path + "; try GET /status, GET /metrics, GET /health, POST /messages, GET/POST /deployments or GET /dashboard\n");
                    }
                } catch (Exception e) {
                    request.response().setStatusCode(500).end("the management API failed: " + e.getMessage() + "\n");
                }
            }).listen(port, listen.bind()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return new ManagementApi(vertx, shared == null, server, guard);
        } catch (Exception e) {
            if (shared == null) {
                vertx.close();
            }
            throw new HostException("cannot serve the management API on " + listen.bind() + ":" + port
                    + (listen.tlsKey() == null ? "" : " over TLS with " + listen.tlsCertChain() + " and " + listen.tlsKey())
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The {@code /status} body: the host's counters, the live deployment's version and state, and
     * the extra sections; on the event loop.
     */
    private static String statusJson(HostStats s, Map<String, Supplier<Object>> sections, Messages messages) {
        ObjectNode body = JSON.valueToTree(s);
        io.edgefn.runtime.Deployments live = messages == null || messages.deployments() == null ? null
                : messages.deployments().get();
        if (live != null) {
            // One version field: the deployment's, with its state.
            body.remove("deploymentVersion");
            body.putObject("deployment").put("version", live.current().version())
                    .put("state", live.current().state().name());
        }
        sections.forEach((name, section) -> body.set(name, JSON.valueToTree(section.get())));
        try {
            return JSON.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Answers {@code request} itself and returns true when it names a host this API is not
     * served under (421), or uses a method other than the one a known path answers (405).
     */
    private static boolean refused(HttpServerRequest request, boolean checkHost) {
        if (!checkHost) {
            return methodRefused(request);
        }
        int port = request.localAddress().port();
        String host = request.getHeader("Host");
        String normalized = host == null ? null : host.toLowerCase(Locale.ROOT);
        boolean served = normalized != null && HOST_NAMES.stream()
                .anyMatch(name -> normalized.equals(name + ":" + port) || (port == 80 && normalized.equals(name)));
        if (!served) {
            request.response().setStatusCode(421).putHeader("content-type", "text/plain; charset=utf-8")
                    .end("this management API answers for localhost:" + port + ", 127.0.0.1:" + port + " and [::1]:"
                            + port + " only, not for " + (host == null ? "a request without a Host header"
                            : "Host '" + io.edgefn.api.LogText.escape(host) + "'") + "\n");
            return true;
        }
        return methodRefused(request);
    }


    /** Answers 405 with {@code Allow} and returns true when a known path is asked with another method. */
    private static boolean methodRefused(HttpServerRequest request) {
        HttpMethod allowed = Dashboard.answers(request.path()) ? Dashboard.methodOf(request.path()) : PATHS.get(request.path());
        if (allowed != null && !allowed.equals(request.method())) {
            request.response().setStatusCode(405).putHeader("allow", allowed.name())
                    .putHeader("content-type", "text/plain; charset=utf-8")
                    .end(request.path() + " answers " + allowed.name() + " only, not " + request.method().name() + "\n");
            return true;
        }
        return false;
    }

    /** The port served. */
    public int port() {
        return server.actualPort();
    }

    /** How many connections are open now. */
    int openConnections() {
        return guard.openConnections();
    }

    @Override
    public void close() {
        try {
            if (ownsVertx) {
                vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } else {
                server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // Closing on shutdown: nothing more to do.
        }
    }
}
