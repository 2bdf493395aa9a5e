package io.edgefn.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer of an {@link HttpTrigger} method when 200 with a JSON body is not it: a status, a
 * body and headers. Immutable.
 *
 * <p>The body is written as: nothing for {@code null}; a {@code String} as UTF-8 text
 * ({@code text/plain}); a {@code byte[]} as it is ({@code application/octet-stream}); anything
 * else as JSON ({@code application/json}). A {@code content-type} header given here wins.
 *
 * @param status  the status, 100 to 599
 * @param body    the body, as above
 * @param headers extra headers, e.g. {@code cache-control}
 */
public record HttpResult(int status, Object body, Map<String, String> headers) {

    /** Checks the status and copies the headers. */
    public HttpResult {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("an HTTP status is 100 to 599, not " + status);
        }
        headers = Map.copyOf(headers);
    }

    /** 200 with {@code body}. */
    public static HttpResult ok(Object body) {
        return new HttpResult(200, body, Map.of());
    }

    /** {@code status} with {@code body}. */
    public static HttpResult of(int status, Object body) {
        return new HttpResult(status, body, Map.of());
    }

    /** 204, no body. */
    public static HttpResult noContent() {
        return new HttpResult(204, null, Map.of());
    }

    /** This result with header {@code name: value} added (replacing one of that name). */
    public HttpResult withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpResult(status, body, more);
    }
}
