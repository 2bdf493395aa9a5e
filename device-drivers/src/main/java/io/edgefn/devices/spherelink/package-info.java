/**
 * The Sphere link: the serial protocol between a gateway and its MCUs
 * ({@code shared/protocols/sphere-link.md}), implemented to the letter.
 *
 * <p>Public here: the codec ({@link io.edgefn.devices.spherelink.FrameCodec},
 * {@link io.edgefn.devices.spherelink.Frame}), the driver's factory
 * ({@link io.edgefn.devices.spherelink.SphereLinkDriverFactory}, registered as
 * {@code sphere-link}), a frame printer for debugging
 * ({@link io.edgefn.devices.spherelink.FrameWatcher}) and a pump MCU simulator
 * ({@link io.edgefn.devices.spherelink.PumpSimulator}). Everything else is package-private.
 */
package io.edgefn.devices.spherelink;
