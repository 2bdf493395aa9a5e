/**
 * The edgefn annotation processor, {@link io.edgefn.processor.FunctionProcessor}: compile-time
 * checks of function wiring and the package's function index
 * ({@code META-INF/edgefn/functions.json}, specified in {@code docs/function-index.md}).
 * Put this artifact on {@code annotationProcessorPaths} next to {@code micronaut-inject-java}.
 */
package io.edgefn.processor;
