package io.edgefn.api;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Calls a REST endpoint, as an {@link HttpEndpoint} parameter declares it: relative paths against
 * its base URL, its timeout and retries. Bodies sent: {@code null} none, a {@code String} as UTF-8
 * text, a {@code byte[]} as it is, anything else as JSON.
 *
 * <p>Thread-safe. The blocking methods wait on the calling thread (a function's invocation runs
 * on a worker thread, so it may) and are interrupted with the invocation; every status, 4xx and
 * 5xx included, is a {@link Response} — only a call that got no answer at all, after its retries,
 * throws {@link HttpCallException}.
 */
public interface HttpCall {

    /** {@code GET path}. */
    default Response get(String path) {
        return send("GET", path, Map.of(), null);
    }

    /** {@code POST path} with {@code body}. */
    default Response post(String path, Object body) {
        return send("POST", path, Map.of(), body);
    }

    /** {@code PUT path} with {@code body}. */
    default Response put(String path, Object body) {
        return send("PUT", path, Map.of(), body);
    }

    /** {@code DELETE path}. */
    default Response delete(String path) {
        return send("DELETE", path, Map.of(), null);
    }

    /**
     * Sends {@code method path} with {@code headers} and {@code body} and waits for the answer.
     *
     * @param path relative to the base URL (a leading {@code /} or not), with a query if any
     * @throws HttpCallException when no answer came within the attempts
     */
    Response send(String method, String path, Map<String, String> headers, Object body);

    /** As {@link #send}, without waiting: the stage completes on a host thread, exceptionally with {@link HttpCallException}. */
    CompletionStage<Response> sendAsync(String method, String path, Map<String, String> headers, Object body);

    /** An answer: status, headers, body. Immutable. */
    interface Response {

        /** The status, e.g. 200. */
        int status();

        /** The first value of header {@code name} (any case), or {@code null}. */
        String header(String name);

        /** Every header, names in lower case. */
        Map<String, List<String>> headers();

        /** The body's bytes (empty when there is none). */
        byte[] body();

        /** The body as UTF-8 text. */
        String bodyAsString();

        /**
         * The body read as JSON into {@code type} (e.g. a record, or Jackson's {@code JsonNode}).
         *
         * @throws HttpCallException when the body is not JSON for {@code type}
         */
        <T> T bodyAs(Class<T> type);
    }
}
