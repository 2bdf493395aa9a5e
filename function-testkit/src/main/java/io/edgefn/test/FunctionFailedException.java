package io.edgefn.test;

/**
 * An invocation that threw during a test: which function, method and trigger, with the
 * function's exception as the cause. In the host such an invocation would be retried and then
 * dead-lettered; in the kit it fails the test where it happened, and what it sent is discarded,
 * as in the host.
 */
public final class FunctionFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String functionName;

    FunctionFailedException(String functionName, String message, Throwable cause) {
        super(message, cause);
        this.functionName = functionName;
    }

    /** The function whose invocation failed. */
    public String functionName() {
        return functionName;
    }
}
