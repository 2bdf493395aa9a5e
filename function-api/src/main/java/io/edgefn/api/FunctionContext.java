package io.edgefn.api;

import java.time.InstantSource;

/**
 * What a function may know about the invocation it runs in; declare it as a parameter.
 *
 * <p>Valid during the invocation it was passed to. Use {@link #clock()} rather than the system
 * clock, so that tests and replays can run the function on a clock of their choosing.
 */
public interface FunctionContext {

    /** The function's name, as routes address it. */
    String functionName();

    /** A unique id of this invocation, also written in the host's log lines about it. */
    String invocationId();

    /** A logger named after the function; what it logs carries the invocation id. */
    System.Logger logger();

    /** The host's clock. */
    InstantSource clock();

    /**
     * The function's settings: the package's {@code settings} in the deployment, overlaid by the
     * deployment's {@code desired} properties for this function.
     */
    Settings settings();
}
