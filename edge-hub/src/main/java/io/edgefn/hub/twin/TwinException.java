package io.edgefn.hub.twin;

/**
 * A twin request that was refused, with the IoT Hub status it answers with: 400 for malformed
 * input, 413 for a patch that would break a size limit, 404 for an unknown identity.
 */
public final class TwinException extends RuntimeException {

    private final int status;

    /** A refusal with {@code status} and a reason a person can act on. */
    public TwinException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    /** The status to answer with. */
    public int status() {
        return status;
    }

    /** The error body sent to the client: {@code {"status": 400, "message": "…"}}. */
    public byte[] body() {
        return Json.errorBody(status, getMessage());
    }
}
