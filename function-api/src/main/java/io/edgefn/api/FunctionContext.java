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
     * function's desired properties — the deployment's {@code desired} for it, with every desired
     * patch applied since — as they were when this invocation started.
     */
    Settings settings();

    /**
     * The function's twin: its desired properties and the reported properties it publishes with
     * {@link Twin#patchReported}. The host's context always has one; a context made for a unit
     * test has none unless it overrides this.
     *
     * @throws UnsupportedOperationException when this context has no twin
     */
    default Twin twin() {
        throw new UnsupportedOperationException("this FunctionContext has no twin");
    }
}
