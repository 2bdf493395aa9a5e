/**
 * The edgefn function API: what a function author compiles against.
 *
 * <p>A function is a class marked {@link io.edgefn.api.EdgeFunction}; its public methods carry one
 * trigger each ({@link io.edgefn.api.RouteTrigger}, {@link io.edgefn.api.TimerTrigger},
 * {@link io.edgefn.api.DirectMethodTrigger}, {@link io.edgefn.api.DesiredPropertiesTrigger}) and bind
 * their parameters and results to messages, properties, outputs, device commands, the function's
 * settings and reported properties, and durable {@link io.edgefn.api.State}. The build
 * checks that wiring at compile time (the {@code edgefn-processor} annotation processor) and
 * writes the package's function index, which the host reads without loading user classes.
 *
 * <p>This package has no third-party dependency. Jackson ({@code JsonNode} and POJO bodies) and
 * SLF4J are provided to every function package by the host, like this API.
 */
package io.edgefn.api;
