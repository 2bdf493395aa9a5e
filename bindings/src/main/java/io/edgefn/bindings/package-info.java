/**
 * Bindings between messages and the values function methods take and return: what each binding
 * of the function index means at run time.
 *
 * <p>{@link io.edgefn.bindings.ParameterBinders} turns a method's
 * {@link io.edgefn.index.ParameterDescriptor}s into {@link io.edgefn.bindings.ParameterBinder}s,
 * which fill the arguments of one invocation, a {@link io.edgefn.bindings.BindingScope}, from the
 * {@link io.edgefn.bindings.BindingServices} the host shares.
 * {@link io.edgefn.bindings.BodyCodec} turns bodies into parameter values and results into
 * messages; {@link io.edgefn.bindings.CollectingOutput} is the {@link io.edgefn.api.Output} a
 * method sends to; {@link io.edgefn.bindings.JsonSettings} is a function's settings. The
 * {@code State<T>} binding's stores are in {@link io.edgefn.bindings.state}.
 */
package io.edgefn.bindings;
