package io.edgefn.runtime.internal;

import io.edgefn.api.HttpRequestData;
import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.runtime.HostException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Serves the functions' {@code @HttpTrigger} paths, {@code /fn/<function>/<path>}, with Vert.x
 * Web: on the management API's loopback port, without a token, and — when the host is told to —
 * on a listener of their own on another address, where each request carries its function's bearer
 * token.
 *
 * <p>Why two doors: an HMI on the gateway asks on loopback like any local tool; one on the plant
 * network reaches only the listener that was configured for it, and only the paths of the function
 * whose token it holds. The two token kinds never cross: the external listener serves
 * {@code /fn/} paths only (the management API is not there at all, so the management token opens
 * nothing on it), and a function token is checked against its own function's file only, never the
 * management token's (so it opens no management path, which checks the management token alone).
 * A request's {@code Authorization} header is not passed to the function.
 *
 * <p>Thread-safe. Handlers run on the Vert.x event loop and never block it: a request is queued
 * with {@link FunctionRuntime#invokeHttp} and answered on the event loop when the function has.
 */
final class FunctionHttp {

    /** The largest request body taken, in bytes; more is answered 413. */
    static final long MAX_BODY = 1 << 20;
    private static final String PREFIX = "/fn/";

    private final Vertx vertx;
    private final Function<String, FunctionRuntime> functions;
    /** A function's token, for the external listener: made on first need (see DataDirectory#functionToken). */
    private final Function<String, String> tokens;

    /**
     * Paths of {@code functions} (by name; {@code null} for none) on {@code vertx}, with
     * {@code tokens} giving each function's bearer token for the external listener.
     */
    FunctionHttp(Vertx vertx, Function<String, FunctionRuntime> functions, Function<String, String> tokens) {
        this.vertx = vertx;
        this.functions = functions;
        this.tokens = tokens;
    }

    /** Whether {@code path} is one of the functions' (the management API hands these to {@link #loopback()}). */
    static boolean isFunctionPath(String path) {
        return path.startsWith(PREFIX);
    }

    /** The router for the management API's loopback port: no token. */
    Router loopback() {
        return router(false);
    }

    /**
     * Listens on {@code host:port} (0 picks a free port) for {@code /fn/} paths only, each request
     * with its function's token.
     *
     * @throws HostException when it cannot listen there
     */
    HttpServer listen(String host, int port) {
        ConnectionGuard guard = new ConnectionGuard(vertx, ManagementApi.Limits.DEFAULT.maxConnections(),
                ManagementApi.Limits.DEFAULT.requestReadTimeout());
        Router router = router(true);
        HttpServerOptions options = new HttpServerOptions()
                .setIdleTimeout((int) ManagementApi.Limits.DEFAULT.idleTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS).setHttp2ClearTextEnabled(false);
        try {
            return vertx.createHttpServer(options).connectionHandler(guard::onConnection)
                    .requestHandler(request -> {
                        if (guard.onRequest(request)) {
                            router.handle(request);
                        }
                    })
                    .listen(port, host).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            throw new HostException("cannot serve the functions' HTTP paths on " + host + ":" + port + ": "
                    + cause.getMessage(), cause);
        }
    }

    private Router router(boolean tokenRequired) {
        Router router = Router.router(vertx);
        if (tokenRequired) {
            router.route("/fn/*").handler(this::authorize);
        }
        router.route("/fn/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
        router.route("/fn/*").handler(this::dispatch);
        router.route().handler(ctx -> answer(ctx, HttpAnswer.error(404, "only the functions' paths, /fn/<function>/…,"
                + " are served here")));
        return router;
    }

    /** The function a request's path names, or {@code null}. */
    private static String functionOf(String path) {
        int end = path.indexOf('/', PREFIX.length());
        return end < 0 ? path.substring(PREFIX.length()) : path.substring(PREFIX.length(), end);
    }

    /**
     * Lets a request on with its function's bearer token; answers 401 otherwise — also for an
     * unknown function, which a caller without its token cannot tell from a known one.
     */
    private void authorize(RoutingContext ctx) {
        String function = functionOf(ctx.normalizedPath());
        String header = ctx.request().getHeader("Authorization");
        FunctionRuntime runtime = function.isEmpty() ? null : functions.apply(function);
        boolean ok = false;
        if (runtime != null && !runtime.httpRoutes().isEmpty() && header != null && header.startsWith("Bearer ")) {
            byte[] given = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.US_ASCII);
            try {
                ok = MessageDigest.isEqual(given, tokens.apply(function).getBytes(StandardCharsets.US_ASCII));
            } catch (RuntimeException e) {
                answer(ctx, HttpAnswer.error(500, "function " + function + "'s token cannot be read: " + e.getMessage()));
                return;
            }
        }
        if (ok) {
            ctx.next();
        } else {
            ctx.response().putHeader("www-authenticate", "Bearer realm=\"edgefn function\"");
            answer(ctx, HttpAnswer.error(401, "this path needs the bearer token of its function"
                    + " (edgefn token --function <name>)"));
        }
    }

    private void dispatch(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String function = functionOf(path);
        FunctionRuntime runtime = functions.apply(function);
        if (runtime == null || runtime.httpRoutes().isEmpty()) {
            answer(ctx, HttpAnswer.error(404, "no function '" + io.edgefn.api.LogText.escape(function)
                    + "' serves HTTP here"));
            return;
        }
        String below = path.length() <= PREFIX.length() + function.length() + 1 ? ""
                : path.substring(PREFIX.length() + function.length() + 1);
        List<String> segments = new ArrayList<>();
        try {
            if (!below.isEmpty()) {
                for (String s : below.split("/", -1)) {
                    segments.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
                }
            }
        } catch (IllegalArgumentException e) {
            answer(ctx, HttpAnswer.error(400, "the path is not well encoded: " + e.getMessage()));
            return;
        }
        HttpRoute best = null;
        Map<String, String> params = null;
        TreeSet<String> allowed = new TreeSet<>();
        String method = ctx.request().method().name();
        for (HttpRoute route : runtime.httpRoutes()) {
            Map<String, String> match = route.path().match(segments);
            if (match == null) {
                continue;
            }
            allowed.addAll(route.methods());
            if (route.methods().contains(method) && (best == null || route.path().literalCount() > best.path().literalCount())) {
                best = route;
                params = match;
            }
        }
        if (best == null) {
            if (allowed.isEmpty()) {
                answer(ctx, HttpAnswer.error(404, "function " + function + " serves no path '"
                        + io.edgefn.api.LogText.escape(below) + "'"));
            } else {
                ctx.response().putHeader("allow", String.join(", ", allowed));
                answer(ctx, HttpAnswer.error(405, "'" + io.edgefn.api.LogText.escape(below) + "' of function " + function
                        + " takes " + String.join(", ", allowed) + ", not " + method));
            }
            return;
        }
        Buffer body = ctx.body().buffer();
        Message.Builder message = Message.builder().body(body == null ? new byte[0] : body.getBytes());
        String type = ctx.request().getHeader("content-type");
        if (type != null) {
            message.systemProperty(SystemProperties.CONTENT_TYPE, type);
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        ctx.queryParams().names().forEach(n -> query.put(n, List.copyOf(ctx.queryParams().getAll(n))));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        ctx.request().headers().names().stream().filter(n -> !n.equalsIgnoreCase("authorization"))
                .forEach(n -> headers.put(n, List.copyOf(ctx.request().headers().getAll(n))));
        HttpRequestData request = new HttpRequestData(method, path, params, query, headers);
        Context context = vertx.getOrCreateContext();
        runtime.invokeHttp(best, message.build(), request)
                .whenComplete((answer, failure) -> context.runOnContext(v -> answer(ctx, failure == null ? answer
                        : HttpAnswer.error(500, "the host failed to answer: " + failure))));
    }

    /** Writes {@code answer}; on the event loop. */
    private static void answer(RoutingContext ctx, HttpAnswer answer) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return; // the client is gone
        }
        response.setStatusCode(answer.status());
        answer.headers().forEach(response::putHeader);
        if (answer.contentType() != null) {
            response.putHeader("content-type", answer.contentType());
        }
        response.end(Buffer.buffer(answer.body()));
    }
}
