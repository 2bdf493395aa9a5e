package io.edgefn.bindings.http;

import io.edgefn.api.HttpCall;
import io.edgefn.api.HttpCallException;
import io.edgefn.bindings.BodyCodec;
import io.edgefn.index.ParameterDescriptor;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One bound {@link HttpCall}: sends each call's attempts on the Web Client, each within the
 * endpoint's timeout, retrying connect failures, timeouts and 5xx answers after a doubling backoff
 * (idempotent methods only, unless the endpoint says otherwise). The backoff waits on Vert.x
 * timers, not on the caller's thread.
 *
 * <p>Thread-safe: any thread may call; attempts and their outcomes run on the Vert.x event loop.
 */
final class EndpointCall implements HttpCall {

    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    private final Vertx vertx;
    private final WebClient client;
    private final BodyCodec codec;
    private final String base;
    private final ParameterDescriptor.HttpCall endpoint;
    private final Map<HttpRequest<?>, Consumer<HttpClientRequest>> sending;

    EndpointCall(Vertx vertx, WebClient client, BodyCodec codec, String base, ParameterDescriptor.HttpCall endpoint,
                 Map<HttpRequest<?>, Consumer<HttpClientRequest>> sending) {
        this.vertx = vertx;
        this.client = client;
        this.codec = codec;
        this.base = base;
        this.endpoint = endpoint;
        this.sending = sending;
    }

    @Override
    public Response send(String method, String path, Map<String, String> headers, Object body) {
        CompletableFuture<Response> answer = sendAsync(method, path, headers, body).toCompletableFuture();
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(false);
            throw new HttpCallException(method + " " + path + " was interrupted (the invocation timed out or the host is"
                    + " stopping)", 0, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpCallException failed) {
                // A new exception, so the stack trace shows the function's call, not the event loop.
                throw new HttpCallException(failed.getMessage(), failed.attempts(), failed.getCause());
            }
            throw new HttpCallException(method + " " + path + " failed: " + e.getCause(), 0, e.getCause());
        }
    }

    @Override
    public CompletionStage<Response> sendAsync(String method, String path, Map<String, String> headers, Object body) {
        String verb = method.toUpperCase(java.util.Locale.ROOT);
        String url = base + (path.startsWith("/") || path.isEmpty() ? path : "/" + path);
        Payload payload = payload(body);
        int attempts = IDEMPOTENT.contains(verb) || endpoint.retryNonIdempotent() ? endpoint.maxAttempts() : 1;
        CompletableFuture<Response> answer = new CompletableFuture<>();
        attempt(1, attempts, verb, url, Map.copyOf(headers), payload, answer);
        return answer;
    }

    private record Payload(Buffer bytes, String contentType) {
    }

    private Payload payload(Object body) {
        return switch (body) {
            case null -> null;
            case byte[] bytes -> new Payload(Buffer.buffer(bytes), "application/octet-stream");
            case String text -> new Payload(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)), "text/plain; charset=utf-8");
            default -> new Payload(Buffer.buffer(codec.toJson(body).getBytes(StandardCharsets.UTF_8)), "application/json");
        };
    }

    private void attempt(int n, int attempts, String method, String url, Map<String, String> headers, Payload payload,
                         CompletableFuture<Response> answer) {
        if (answer.isDone()) {
            return; // the caller gave up
        }
        HttpRequest<Buffer> request;
        try {
            request = client.requestAbs(HttpMethod.valueOf(method), url)
                    .connectTimeout(endpoint.timeoutMillis()).idleTimeout(endpoint.timeoutMillis());
            if (payload != null) {
                request.putHeader("content-type", payload.contentType());
            }
            request.putHeader("accept", "application/json, */*;q=0.5");
            headers.forEach(request::putHeader);
        } catch (RuntimeException e) {
            answer.completeExceptionally(new HttpCallException(method + " " + url + " cannot be sent: " + e.getMessage(), 0, e));
            return;
        }
        AtomicBoolean settled = new AtomicBoolean();
        HttpClientRequest[] core = new HttpClientRequest[1];
        sending.put(request, r -> core[0] = r);
        long deadline = vertx.setTimer(endpoint.timeoutMillis(), id -> {
            if (settled.compareAndSet(false, true)) {
                sending.remove(request);
                if (core[0] != null) {
                    core[0].reset(); // closes the connection of a body still dribbling in
                }
                failed(n, attempts, method, url, headers, payload, answer, new TimeoutException(
                        "no whole answer within " + endpoint.timeoutMillis() + " ms"));
            }
        });
        var sent = payload == null ? request.send() : request.sendBuffer(payload.bytes());
        sent.onComplete((AsyncResult<HttpResponse<Buffer>> result) -> {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            vertx.cancelTimer(deadline);
            sending.remove(request);
            if (result.failed()) {
                failed(n, attempts, method, url, headers, payload, answer, result.cause());
            } else if (result.result().statusCode() >= 500 && n < attempts) {
                retry(n, attempts, method, url, headers, payload, answer);
            } else {
                answer.complete(CallResponse.of(result.result(), codec.mapper()));
            }
        });
    }

    private void failed(int n, int attempts, String method, String url, Map<String, String> headers, Payload payload,
                        CompletableFuture<Response> answer, Throwable cause) {
        if (n < attempts) {
            retry(n, attempts, method, url, headers, payload, answer);
        } else {
            String why = cause instanceof TimeoutException ? cause.getMessage()
                    : cause.getClass().getSimpleName() + ": " + cause.getMessage();
            answer.completeExceptionally(new HttpCallException(method + " " + url + " got no answer after " + n
                    + (n == 1 ? " attempt" : " attempts") + ": " + why, n, cause));
        }
    }

    private void retry(int n, int attempts, String method, String url, Map<String, String> headers, Payload payload,
                       CompletableFuture<Response> answer) {
        long delay = Math.min(60_000L, (long) endpoint.backoffMillis() << Math.min(20, n - 1));
        if (delay <= 0) {
            attempt(n + 1, attempts, method, url, headers, payload, answer);
        } else {
            vertx.setTimer(delay, id -> attempt(n + 1, attempts, method, url, headers, payload, answer));
        }
    }

    /** An answer as the function sees it. */
    record CallResponse(int status, Map<String, List<String>> headers, byte[] body,
                        com.fasterxml.jackson.databind.ObjectMapper mapper) implements Response {

        static CallResponse of(HttpResponse<Buffer> response, com.fasterxml.jackson.databind.ObjectMapper mapper) {
            Map<String, List<String>> headers = new java.util.TreeMap<>();
            response.headers().names().forEach(name -> headers.put(name.toLowerCase(java.util.Locale.ROOT),
                    List.copyOf(response.headers().getAll(name))));
            Buffer body = response.body();
            return new CallResponse(response.statusCode(), Map.copyOf(headers),
                    body == null ? new byte[0] : body.getBytes(), mapper);
        }

        @Override
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }

        @Override
        public String bodyAsString() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public <T> T bodyAs(Class<T> type) {
            try {
                return mapper.readValue(body, type);
            } catch (java.io.IOException e) {
                String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
                throw new HttpCallException("the answer (status " + status + ") is not JSON for " + type.getName() + ": "
                        + why, 0, e);
            }
        }

        @Override
        public String toString() {
            return "Response[" + status + ", " + body.length + " bytes]";
        }
    }
}
