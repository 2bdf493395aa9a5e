package io.edgefn.hub.identity;

/**
 * The one exception type of the gateway's identity layer: something about the gateway's identity,
 * its certificates, its device registry, a SAS token or a connection string that could not be done
 * or was malformed, with a message that names the problem and where (a file, a field, an id).
 * Messages never contain a key or a signature.
 */
public class IdentityException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message a person can act on. */
    public IdentityException(String message) {
        super(message);
    }

    /** Creates an exception with a message a person can act on and the failure that caused it. */
    public IdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
