package io.edgefn.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.deploy.Deployment;
import io.edgefn.deploy.DeploymentException;
import io.edgefn.runtime.DeployOutcome;
import io.edgefn.runtime.DeploymentState;
import io.edgefn.runtime.Deployments;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The management API's live deployment changes, each needing the bearer token
 * ({@code 401} without it):
 * <ul>
 *   <li>{@code POST /deployments} — the body is a deployment document (JSON, packages by absolute
 *       paths on the gateway's machine; relative ones resolve against the query parameter
 *       {@code base}, an absolute directory, else the host's working directory); answered once it is applied and passed its health gate ({@code 200}), or was
 *       refused ({@code 422}) or rolled back ({@code 409}), the body a {@link DeployOutcome} as
 *       JSON; a document that does not parse is {@code 400} with every problem.</li>
 *   <li>{@code POST /deployments/rollback} — body {@code {"to": "VERSION"}}, or empty for the
 *       previous applied deployment; answered as {@code POST /deployments}.</li>
 *   <li>{@code GET /deployments} — {@code {"current": …, "history": […]}}, oldest first.</li>
 * </ul>
 * An answer that takes longer than {@link #KEEPALIVE} (a long health gate) is started at once
 * as {@code 200} with chunked JSON preceded by a space every {@link #KEEPALIVE}, so that the
 * connection's idle timeout does not cut it: the body's {@code state} is then the outcome.
 *
 * <p>Confined to the API's event loop: {@link #handle} runs there; outcomes complete on the
 * host's deployments thread and are answered from the event loop again.
 */
final class DeploymentsEndpoint {

    /** The paths this endpoint answers. */
    static final String PATH = "/deployments";
    static final String ROLLBACK = "/deployments/rollback";
    /** How long an answer may wait before it is started and kept alive with whitespace. */
    static final Duration KEEPALIVE = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final BearerToken token;
    private final Supplier<Deployments> deployments;
    private final long bodyTimeoutMillis;

    DeploymentsEndpoint(Vertx vertx, String token, Supplier<Deployments> deployments, Duration bodyTimeout) {
        this.vertx = vertx;
        this.token = new BearerToken(token);
        this.deployments = deployments;
        this.bodyTimeoutMillis = Math.max(1, bodyTimeout.toMillis());
    }

    /** Whether {@code path} is one of this endpoint's. */
    static boolean answers(String path) {
        return path.equals(PATH) || path.equals(ROLLBACK);
    }

    /** Answers {@code request} (Host already checked). */
    void handle(HttpServerRequest request) {
        String path = request.path();
        HttpMethod method = request.method();
        boolean allowed = path.equals(PATH) ? method.equals(HttpMethod.GET) || method.equals(HttpMethod.POST)
                : method.equals(HttpMethod.POST);
        if (!allowed) {
            request.response().setStatusCode(405).putHeader("allow", path.equals(PATH) ? "GET, POST" : "POST")
                    .putHeader("content-type", "text/plain; charset=utf-8")
                    .end(path + " answers " + (path.equals(PATH) ? "GET and POST" : "POST") + " only, not " + method.name() + "\n");
            return;
        }
        String authorization = request.getHeader("Authorization");
        if (!token.admits(authorization)) {
            request.response().putHeader("WWW-Authenticate", BearerToken.challenge(authorization));
            request.response().putHeader("connection", "close");
            answer(request.response(), 401, error(authorization == null
                    ? method.name() + " " + path + " needs 'Authorization: Bearer <token>', the token in the data directory's"
                    + " management.token"
                    : "the bearer token is not this host's; it is in the data directory's management.token"))
                    .onComplete(v -> request.connection().close());
            return;
        }
        Deployments d = deployments.get();
        if (d == null) {
            answer(request.response(), 503, error("the host's deployments are not ready yet"));
            return;
        }
        if (method.equals(HttpMethod.GET)) {
            ObjectNode body = JSON.createObjectNode();
            body.set("current", JSON.valueToTree(d.current()));
            body.set("history", JSON.valueToTree(d.history()));
            answer(request.response(), 200, body);
            return;
        }
        long declared = declaredLength(request.getHeader("Content-Length"));
        if (declared > Deployment.MAX_DOCUMENT_BYTES) {
            request.response().putHeader("connection", "close");
            answer(request.response(), 413, error(tooLarge(declared))).onComplete(v -> request.connection().close());
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            request.response().writeContinue();
        }
        Buffer received = Buffer.buffer();
        boolean[] refused = {false};
        long timer = vertx.setTimer(bodyTimeoutMillis, id -> request.connection().close());
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (received.length() + chunk.length() > Deployment.MAX_DOCUMENT_BYTES) {
                refused[0] = true;
                vertx.cancelTimer(timer);
                request.response().putHeader("connection", "close");
                answer(request.response(), 413, error(tooLarge(received.length() + chunk.length())))
                        .onComplete(v -> request.connection().close());
                return;
            }
            received.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> vertx.cancelTimer(timer));
        request.endHandler(v -> {
            vertx.cancelTimer(timer);
            if (!refused[0]) {
                submit(request, d, received.getBytes());
            }
        });
    }

    private void submit(HttpServerRequest request, Deployments d, byte[] body) {
        CompletableFuture<DeployOutcome> outcome;
        if (request.path().equals(ROLLBACK)) {
            String to = null;
            if (body.length > 0 && !new String(body, StandardCharsets.UTF_8).isBlank()) {
                try {
                    JsonNode json = JSON.readTree(body);
                    JsonNode node = json == null ? null : json.get("to");
                    if (json == null || !json.isObject() || (node != null && !node.isTextual() && !node.isNull())) {
                        answer(request.response(), 400, error("the body of POST /deployments/rollback is {\"to\": \"VERSION\"}"
                                + " or empty (the previous applied deployment)"));
                        return;
                    }
                    to = node == null || node.isNull() ? null : node.asText();
                } catch (java.io.IOException e) {
                    answer(request.response(), 400, error("the body of POST /deployments/rollback is not JSON: "
                            + e.getMessage().lines().findFirst().orElse("")));
                    return;
                }
            }
            outcome = d.rollback(to);
        } else {
            Deployment deployment;
            String base = request.getParam("base");
            Path baseDirectory;
            try {
                baseDirectory = base == null ? Path.of("").toAbsolutePath() : Path.of(base);
            } catch (java.nio.file.InvalidPathException e) {
                baseDirectory = null;
            }
            if (baseDirectory == null || !baseDirectory.isAbsolute()) {
                answer(request.response(), 400, error("?base= must be an absolute directory on the gateway's machine"
                        + " (where the document's relative package files are), was '" + base + "'"));
                return;
            }
            try {
                deployment = Deployment.parse(body, "POST /deployments", baseDirectory);
            } catch (DeploymentException e) {
                ObjectNode refused = JSON.valueToTree(new DeployOutcome(null, DeploymentState.REFUSED,
                        e.problems().stream().map(Object::toString).toList(), 0, 0));
                answer(request.response(), 400, refused);
                return;
            }
            outcome = d.apply(deployment);
        }
        Context context = vertx.getOrCreateContext();
        HttpServerResponse response = request.response();
        boolean[] started = {false};
        long keepalive = vertx.setPeriodic(KEEPALIVE.toMillis(), id -> {
            if (!started[0]) {
                started[0] = true;
                response.setStatusCode(200).setChunked(true).putHeader("content-type", "application/json");
            }
            response.write(" ");
        });
        outcome.whenComplete((o, failure) -> context.runOnContext(v -> {
            vertx.cancelTimer(keepalive);
            DeployOutcome result = failure != null ? new DeployOutcome(null, DeploymentState.REFUSED,
                    List.of("the host failed: " + Failures.describe(failure)), 0, 0) : o;
            ObjectNode json = JSON.valueToTree(result);
            if (started[0]) {
                response.end(json.toString() + "\n");
            } else {
                answer(response, switch (result.state()) {
                    case APPLIED -> 200;
                    case ROLLED_BACK -> 409;
                    case REFUSED -> 422;
                    default -> 202;
                }, json);
            }
        }));
    }

    private static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String tooLarge(long bytes) {
        return "the request of " + bytes + " bytes or more is over the limit of " + Deployment.MAX_DOCUMENT_BYTES
                + " bytes for a deployment document";
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static io.vertx.core.Future<Void> answer(HttpServerResponse response, int status, JsonNode body) {
        return response.setStatusCode(status).putHeader("content-type", "application/json").end(body.toString() + "\n");
    }
}
