package io.edgefn.api;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What an {@link HttpTrigger} method may want of its request besides the body and the path
 * parameters: the method, the path, the query and the headers. Immutable.
 *
 * @param method     the HTTP method, e.g. {@code GET}
 * @param path       the request's path, e.g. {@code /fn/pump-monitor/state/p1}
 * @param pathParams the path parameters, decoded, by name
 * @param query      the query parameters, decoded, each with its values in order
 * @param headers    the headers, names in lower case, each with its values in order
 */
public record HttpRequestData(String method, String path, Map<String, String> pathParams,
                              Map<String, List<String>> query, Map<String, List<String>> headers) {

    /** Copies the maps, lower-casing the header names. */
    public HttpRequestData {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        pathParams = Map.copyOf(pathParams);
        query = Map.copyOf(query);
        Map<String, List<String>> lower = new java.util.HashMap<>();
        headers.forEach((name, values) -> lower.merge(name.toLowerCase(Locale.ROOT), List.copyOf(values),
                (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList()));
        headers = Map.copyOf(lower);
    }

    /** The first value of query parameter {@code name}, or {@code null}. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** The first value of header {@code name} (any case), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
