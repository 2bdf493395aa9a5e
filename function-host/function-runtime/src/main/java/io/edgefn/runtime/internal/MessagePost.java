package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.runtime.Admission;
import io.edgefn.runtime.MessageOrigin;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;

/**
 * The management API's {@code POST /messages}: one message into the host's ingress, as if device
 * {@code deviceId} had sent it — the same stamping and routing as a device's message, with
 * {@code connectionAuthMethod} saying it came through the management API
 * ({@link MessageOrigin#managementApi}).
 *
 * <p>Only a holder of the data directory's token may send: the request must carry
 * {@code Authorization: Bearer <token>}, compared in constant time, else {@code 401} with a
 * {@code WWW-Authenticate} header. The request is read with a limit ({@code 413} beyond it, the
 * connection closed) and a deadline (the connection closed when the body trickles), then parsed
 * ({@code 400} naming every problem, {@code 413} for a body over 256 KB) and
 * {@linkplain Admission offered} without blocking. The answer waits for
 * {@link Admission#taken()}: {@code 202} with the message id once every sink took it (a message
 * no route matched is taken too), {@code 503} with the sink's reason when one refused it.
 *
 * <p>Confined to the API's event loop: {@link #handle} is called there, and the answer to a
 * message taken on another thread (the buffer's writer) is sent from there again.
 */
final class MessagePost {

    /**
     * Largest request taken: a 256 KB body written as JSON text, where a control byte takes six
     * characters ({@code \u0001}), with room for the properties.
     */
    static final int MAX_REQUEST_BYTES = 2 * 1024 * 1024;

    private final Vertx vertx;
    private final BearerToken token;
    private final BiFunction<Message, MessageOrigin, Admission> ingress;
    private final MessageIds ids;
    private final long bodyTimeoutMillis;

    /**
     * @param token the bearer token a request must carry
     * @param ingress the host's non-blocking ingress ({@code offer})
     * @param clock the host's clock, for the message ids stamped here
     * @param bodyTimeout how long a request's body may take to arrive
     */
    MessagePost(Vertx vertx, String token, BiFunction<Message, MessageOrigin, Admission> ingress, InstantSource clock,
                Duration bodyTimeout) {
        this.vertx = vertx;
        this.token = new BearerToken(token);
        this.ingress = Objects.requireNonNull(ingress, "ingress");
        this.ids = new MessageIds(clock);
        this.bodyTimeoutMillis = Math.max(1, bodyTimeout.toMillis());
    }

    /** Answers {@code request}, a {@code POST /messages} whose Host and method were checked. */
    void handle(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        if (!token.admits(authorization)) {
            request.response().putHeader("WWW-Authenticate", BearerToken.challenge(authorization));
            answerAndClose(request, 401, authorization == null
                    ? "POST /messages needs 'Authorization: Bearer <token>', the token in the data directory's management.token"
                    : "the bearer token is not this host's; it is in the data directory's management.token");
            return;
        }
        long declared = declaredLength(request.getHeader("Content-Length"));
        if (declared > MAX_REQUEST_BYTES) {
            answerAndClose(request, 413, tooLarge(declared));
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            // Authorized and not too large by its word: let it send the body (curl asks for large ones).
            request.response().writeContinue();
        }
        Buffer received = Buffer.buffer();
        boolean[] refused = {false};
        long timer = vertx.setTimer(bodyTimeoutMillis, id -> request.connection().close());
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (received.length() + chunk.length() > MAX_REQUEST_BYTES) {
                refused[0] = true;
                vertx.cancelTimer(timer);
                answerAndClose(request, 413, tooLarge(received.length() + chunk.length()));
                return;
            }
            received.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> vertx.cancelTimer(timer));
        request.endHandler(v -> {
            vertx.cancelTimer(timer);
            if (!refused[0]) {
                route(request, received.getBytes());
            }
        });
    }

    private void route(HttpServerRequest request, byte[] json) {
        MessageRequest.Parsed parsed;
        try {
            parsed = MessageRequest.parse(json);
        } catch (MessageRequest.Invalid e) {
            answer(request.response(), e.tooLarge() ? 413 : 400, e.getMessage());
            return;
        }
        // Stamped here rather than by the ingress (which keeps a producer's id), so the answer can name it.
        Message message = parsed.message();
        if (message.systemProperty(SystemProperties.MESSAGE_ID) == null) {
            message = message.toBuilder().systemProperty(SystemProperties.MESSAGE_ID, ids.next()).build();
        }
        String messageId = message.systemProperty(SystemProperties.MESSAGE_ID);
        Admission admission;
        try {
            admission = ingress.apply(message, MessageOrigin.managementApi(parsed.deviceId()));
        } catch (RuntimeException e) {
            answer(request.response(), 503, "the host refused the message: " + describe(e));
            return;
        }
        Context context = vertx.getOrCreateContext();
        admission.taken().whenComplete((ok, failure) -> context.runOnContext(v -> {
            if (failure != null) {
                answer(request.response(), 503, "the host refused the message: " + describe(failure));
            } else {
                request.response().setStatusCode(202).putHeader("content-type", "application/json")
                        .end("{\"messageId\":\"" + messageId.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"taken\":true}");
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
            return -1; // Vert.x refuses a malformed Content-Length itself
        }
    }

    private static String tooLarge(long bytes) {
        return "the request of " + bytes + " bytes or more is over the limit of " + MAX_REQUEST_BYTES
                + " bytes (a message's body may have 262143 bytes, IoT Hub's 256 KB)";
    }

    /** Answers and closes the connection: its client may still be sending a body nobody will read. */
    private static void answerAndClose(HttpServerRequest request, int status, String error) {
        request.response().putHeader("connection", "close");
        answer(request.response(), status, error).onComplete(v -> request.connection().close());
    }

    private static io.vertx.core.Future<Void> answer(HttpServerResponse response, int status, String error) {
        return response.setStatusCode(status).putHeader("content-type", "application/json")
                .end(jsonError(error));
    }

    /** {@code {"error": "…"}}, the text escaped for JSON. */
    static String jsonError(String error) {
        StringBuilder sb = new StringBuilder("{\"error\":\"");
        error.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                sb.append('\\').appendCodePoint(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.append("\"}\n").toString();
    }

    /** A failure's own words, without the wrappers' and never a class name. */
    private static String describe(Throwable t) {
        Throwable c = t;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() != null ? c.getMessage() : "a sink did not take it";
    }
}
