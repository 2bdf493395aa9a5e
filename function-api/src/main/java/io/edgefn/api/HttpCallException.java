package io.edgefn.api;

/**
 * An {@link HttpCall} that got no usable answer: no connection, no answer within the timeout
 * after every attempt, or a body that is not the JSON asked for.
 */
public final class HttpCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int attempts;

    /** A failure after {@code attempts} attempts, described by {@code message}. */
    public HttpCallException(String message, int attempts, Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
    }

    /** How many attempts were made (0 for a body that could not be read). */
    public int attempts() {
        return attempts;
    }
}
