package io.edgefn.runtime.internal;

/** Produces one argument of a trigger method for one invocation. Stateless and thread-safe. */
@FunctionalInterface
interface ArgumentBinder {

    /** The argument for {@code invocation}. */
    Object bind(Invocation invocation);
}
