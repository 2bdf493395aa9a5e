package io.edgefn.upstream;

/**
 * An upstream configuration that cannot be used; the message names the bad part and never
 * contains a secret.
 */
public final class UpstreamConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** An exception with a message a person can act on. */
    public UpstreamConfigException(String message) {
        super(message);
    }
}
