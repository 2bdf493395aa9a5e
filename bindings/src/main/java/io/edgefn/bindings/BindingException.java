package io.edgefn.bindings;

/**
 * A message that cannot be bound to what a function asks for, or a result that cannot become a
 * message. The message says what was expected and what was wrong.
 */
public final class BindingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A binding failure described by {@code message}, caused by {@code cause} (may be null). */
    public BindingException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A binding failure described by {@code message}. */
    public BindingException(String message) {
        super(message);
    }
}
