package io.edgefn.bindings;

/**
 * Produces one argument of a function method for one invocation. Made once per method by
 * {@link ParameterBinders#forMethod}, when a deployment is loaded, so that an invocation only runs
 * the binders. Stateless and thread-safe.
 */
@FunctionalInterface
public interface ParameterBinder {

    /**
     * The argument for the invocation {@code scope}.
     *
     * @throws BindingException when the invocation cannot give it: no message to bind (a timer
     *                          tick), or a body that does not fit the parameter's type
     */
    Object bind(BindingScope scope);
}
