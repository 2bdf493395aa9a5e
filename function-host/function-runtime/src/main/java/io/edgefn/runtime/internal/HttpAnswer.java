package io.edgefn.runtime.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.api.HttpResult;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The answer to an HTTP request on a function: status, content type, extra headers, body.
 * Immutable (the body is not copied).
 *
 * <p>{@link #ANSWERS} says how a call's outcomes become one: an {@link HttpResult}'s own; no value
 * ({@code void}, {@code null}) 204; any other value 200 with it as JSON; a thrown exception 500
 * with {@code {"error": class, "message": text}}; the host's own errors
 * {@code {"error": reason, "message": text}}.
 *
 * @param status      the status
 * @param contentType the content type, or {@code null} with no body
 * @param headers     extra headers
 * @param body        the body (empty for none)
 */
record HttpAnswer(int status, String contentType, Map<String, String> headers, byte[] body) {

    private static final String JSON = "application/json";

    /** How a function's outcomes become HTTP answers. */
    static final MethodCall.Answers<HttpAnswer> ANSWERS = new MethodCall.Answers<>() {
        @Override
        public HttpAnswer returned(Object result, ObjectMapper mapper) throws Exception {
            if (result instanceof HttpResult r) {
                HttpAnswer body = body(r.status(), r.body(), mapper);
                String type = r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("content-type"))
                        .map(Map.Entry::getValue).findFirst().orElse(body.contentType);
                Map<String, String> rest = new java.util.LinkedHashMap<>(r.headers());
                rest.keySet().removeIf(k -> k.equalsIgnoreCase("content-type"));
                return new HttpAnswer(r.status(), type, Map.copyOf(rest), body.body);
            }
            return result == null ? new HttpAnswer(204, null, Map.of(), new byte[0]) : body(200, result, mapper);
        }

        @Override
        public HttpAnswer error(int status, String message) {
            return error(status, reason(status), message);
        }

        @Override
        public HttpAnswer thrown(Throwable failure) {
            String message;
            try {
                message = failure.getMessage();
            } catch (Throwable broken) {
                message = null; // a user's exception is user code too
            }
            return error(500, failure.getClass().getName(), message);
        }

        private HttpAnswer error(int status, String error, String message) {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("error", error).put("message", message);
            return new HttpAnswer(status, JSON, Map.of(), body.toString().getBytes(StandardCharsets.UTF_8));
        }
    };

    /** The host's answer {@code status} with {@code {"error": reason, "message": message}}. */
    static HttpAnswer error(int status, String message) {
        return ANSWERS.error(status, message);
    }

    private static HttpAnswer body(int status, Object value, ObjectMapper mapper) throws Exception {
        return switch (value) {
            case null -> new HttpAnswer(status, null, Map.of(), new byte[0]);
            case String text -> new HttpAnswer(status, "text/plain; charset=utf-8", Map.of(),
                    text.getBytes(StandardCharsets.UTF_8));
            case byte[] bytes -> new HttpAnswer(status, "application/octet-stream", Map.of(), bytes);
            default -> new HttpAnswer(status, JSON, Map.of(), mapper.writeValueAsBytes(value));
        };
    }

    /** A short name of {@code status}'s meaning, for error bodies. */
    static String reason(int status) {
        return switch (status) {
            case 400 -> "bad request";
            case 401 -> "unauthorized";
            case 404 -> "not found";
            case 405 -> "method not allowed";
            case 413 -> "payload too large";
            case 500 -> "internal error";
            case 503 -> "unavailable";
            case 504 -> "timeout";
            default -> "status " + status;
        };
    }
}
