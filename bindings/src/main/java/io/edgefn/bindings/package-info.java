/**
 * Bindings between messages and the values function methods take and return.
 *
 * <p>{@link io.edgefn.bindings.BodyCodec} turns bodies into parameter values and results into
 * messages; {@link io.edgefn.bindings.CollectingOutput} is the {@link io.edgefn.api.Output} a
 * method sends to; {@link io.edgefn.bindings.JsonSettings} is a function's settings.
 */
package io.edgefn.bindings;
