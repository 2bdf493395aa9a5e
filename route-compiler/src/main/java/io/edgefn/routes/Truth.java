package io.edgefn.routes;

/** The three-valued result of a route condition, as edgeHub's {@code Bool}: only {@link #TRUE} routes. */
public enum Truth {
    /** The condition holds: the route fires. */
    TRUE,
    /** The condition does not hold. */
    FALSE,
    /** The condition could not be decided (missing property, body not JSON, NaN …): the route does not fire. */
    UNDEFINED;

    /** The JSON word for this result: {@code true}, {@code false} or {@code undefined}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
