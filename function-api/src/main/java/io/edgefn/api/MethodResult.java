package io.edgefn.api;

/**
 * The answer of a {@link DirectMethodTrigger} method: a status and a payload the host writes as
 * JSON. Immutable.
 *
 * @param status  the status the caller sees, e.g. 200; by convention 2xx for success, 4xx for a
 *                request the method refuses, 5xx for a failure
 * @param payload the answer's payload, written as JSON ({@code null} writes {@code null}); a
 *                {@code String} is written as a JSON string, a {@code byte[]} as it is (it must
 *                be JSON)
 */
public record MethodResult(int status, Object payload) {

    /** Checks the status is a three-digit number. */
    public MethodResult {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("a direct method's status is a three-digit number, not " + status);
        }
    }

    /** Status 200 with {@code payload}. */
    public static MethodResult ok(Object payload) {
        return new MethodResult(200, payload);
    }

    /** {@code status} with {@code payload}. */
    public static MethodResult of(int status, Object payload) {
        return new MethodResult(status, payload);
    }
}
