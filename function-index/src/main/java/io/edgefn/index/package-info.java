/**
 * The function index of a function package, {@code META-INF/edgefn/functions.json}
 * (docs/function-index.md): its descriptors and the code that writes and reads it.
 *
 * <p>{@link io.edgefn.index.FunctionIndex} is the entry type. The binding model is
 * {@link io.edgefn.index.ParameterDescriptor}, and what triggers a method
 * {@link io.edgefn.index.TriggerDescriptor}; both are sealed, and every switch over them goes
 * without a {@code default} branch, so a new kind is one change the compiler follows everywhere.
 * Problems are reported as an {@link io.edgefn.index.IndexException}.
 */
package io.edgefn.index;
