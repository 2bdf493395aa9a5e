package io.edgefn.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The answer to a direct method call on a function ({@link EdgeHost#invokeMethod}): a status and a
 * JSON payload, as IoT Hub's method responses carry them. Immutable (the payload is not copied:
 * neither side changes it).
 *
 * <p>Statuses the host itself gives: 400 when the payload is not JSON or does not fit the method's
 * parameter, 404 when the function has no such method (or there is no such function), 500 when the
 * method threw (the payload {@code {"error": class, "message": text}}), 503 when the function is not
 * running or its queue is full, 504 when no answer came within the caller's timeout (or the
 * function's own). Its errors' payloads are {@code {"message": text}}; otherwise the status is the
 * method's: 200, or what its {@code MethodResult} said.
 *
 * @param status  the status, e.g. 200
 * @param payload the answer as UTF-8 JSON text; {@code null} as JSON is the four bytes {@code null}
 */
public record MethodResponse(int status, byte[] payload) {

    /** Checks the payload is given. */
    public MethodResponse {
        Objects.requireNonNull(payload, "payload");
    }

    /** The payload as text. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "MethodResponse[" + status + " " + payloadAsString() + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MethodResponse r && r.status == status && java.util.Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * status + java.util.Arrays.hashCode(payload);
    }
}
