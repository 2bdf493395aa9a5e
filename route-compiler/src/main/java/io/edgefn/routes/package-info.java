/**
 * The IoT Edge route language: {@link io.edgefn.routes.RouteCompiler} compiles route statements
 * ({@code FROM <source> WHERE <condition> INTO <sink>}) with edgeHub's exact semantics into a
 * {@link io.edgefn.routes.RouteTable} the host routes messages with.
 *
 * <p>Everything outside this package ({@code io.edgefn.routes.internal}) is an implementation
 * detail.
 */
package io.edgefn.routes;
