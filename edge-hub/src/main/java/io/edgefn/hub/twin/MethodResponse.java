package io.edgefn.hub.twin;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A direct method's answer: the status the target chose (or the gateway's: 404 no such target,
 * 504 no answer in time, 413 too large a payload) and its JSON payload.
 *
 * @param status  the status, as IoT Hub returns it to the caller
 * @param payload the JSON payload (empty for none)
 */
public record MethodResponse(int status, byte[] payload) {

    /** Checks the payload is present. */
    public MethodResponse {
        Objects.requireNonNull(payload, "payload");
    }

    /** An answer from the gateway itself: {@code {"status": n, "message": "…"}}. */
    public static MethodResponse error(int status, String message) {
        return new MethodResponse(status, Json.errorBody(status, message));
    }

    /** The payload as UTF-8 text. */
    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "MethodResponse[" + status + ", " + payloadText() + "]";
    }
}
