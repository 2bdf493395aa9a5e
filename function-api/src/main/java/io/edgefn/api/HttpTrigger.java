package io.edgefn.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Serves an HTTP path of the function: a request to {@code /fn/<function>/<}{@link #value()}{@code >}
 * with one of {@link #methods()} calls the method, e.g. a local HMI asking for a pump's state.
 *
 * <p>The request body binds like a message body (a {@code String}, {@code byte[]}, a
 * {@code JsonNode}, a record or POJO; a body that is not JSON for the type answers 400); path
 * parameters bind with {@link PathParam}, the rest of the request (query, headers) through an
 * {@link HttpRequestData} parameter. The return value is the answer: an {@link HttpResult} gives
 * its status, body and headers; {@code void} answers 204; any other value 200 with that value as
 * JSON. An exception answers 500 with {@code {"error": class, "message": text}}. The host answers
 * 404 for a path no method serves, 405 for a method the path does not take, 503 when the function
 * is not running, 504 when it does not answer within its {@code timeoutMillis}.
 *
 * <p>A request runs like a direct method call: within the function's {@code maxConcurrency} and
 * {@code timeoutMillis}, ahead of its queued messages, never retried. Who may send one is the
 * host's configuration: by default only local processes (loopback); see docs/management-api.md.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface HttpTrigger {

    /**
     * The path under {@code /fn/<function>/}: segments of letters, digits, {@code -}, {@code _},
     * {@code .} and {@code ~} separated by {@code /}, a whole segment in braces being a path
     * parameter ({@code "state/{pumpId}"}); no leading or trailing {@code /}; {@code ""} is the
     * function's own path. Two methods of a function may not serve the same method and path.
     */
    String value();

    /** The HTTP methods the path takes; {@code GET} unless given. */
    Method[] methods() default {Method.GET};

    /** The HTTP methods a trigger can take. */
    enum Method {
        /** Reads. */
        GET,
        /** Creates or acts. */
        POST,
        /** Replaces. */
        PUT,
        /** Changes part. */
        PATCH,
        /** Removes. */
        DELETE
    }
}
