package io.edgefn.runtime.internal;

import io.edgefn.bindings.ParameterBinder;
import io.micronaut.inject.ExecutableMethod;

/**
 * One trigger method ready to call: its reflection-free Micronaut handle, a binder per
 * parameter, and where its return value goes.
 *
 * @param name the method's name, for logs
 * @param method the compile-time generated invoker
 * @param binders one per parameter, in order
 * @param returnOutput the output the return value goes to, or {@code null}
 * @param input the route input that triggers it, or {@code null} for a timer
 */
record BoundMethod(String name, ExecutableMethod<Object, Object> method, ParameterBinder[] binders,
                   String returnOutput, String input) {
}
