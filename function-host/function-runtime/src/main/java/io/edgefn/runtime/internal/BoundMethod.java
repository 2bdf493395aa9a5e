package io.edgefn.runtime.internal;

import io.edgefn.bindings.ParameterBinder;

/**
 * One trigger method ready to call: what it calls (for Java, the reflection-free Micronaut
 * handle), a binder per parameter, and where its return value goes.
 *
 * @param name the method's name, for logs
 * @param method what it calls: for Java, the compile-time generated invoker
 * @param binders one per parameter, in order
 * @param returnOutput the output the return value goes to, or {@code null}
 * @param input the route input that triggers it, or {@code null} for a timer
 * @param retryPolicy its own retry policy ({@code @Retry}), or {@code null} for its function's
 */
record BoundMethod(String name, MethodTarget method, ParameterBinder[] binders,
                   String returnOutput, String input, io.edgefn.runtime.RetryPolicy retryPolicy) {

    /** A method retried per its function's policy. */
    BoundMethod(String name, MethodTarget method, ParameterBinder[] binders, String returnOutput, String input) {
        this(name, method, binders, returnOutput, input, null);
    }
}
