package io.edgefn.buffer;

/** The one exception type of the offline buffer: something the buffer could not do, and why. */
public class BufferException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message a person can act on. */
    public BufferException(String message) {
        super(message);
    }

    /** Creates an exception with a message a person can act on and the failure that caused it. */
    public BufferException(String message, Throwable cause) {
        super(message, cause);
    }
}
