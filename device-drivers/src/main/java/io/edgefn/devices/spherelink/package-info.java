/**
 * The Sphere link: the serial protocol between a gateway and its MCUs
 * ({@code docs/protocols/sphere-link.md}), implemented to the letter.
 *
 * <p>Public here: the codec ({@link io.edgefn.devices.spherelink.FrameCodec},
 * {@link io.edgefn.devices.spherelink.Frame}) and the spec's duplicate rule
 * ({@link io.edgefn.devices.spherelink.RecentPairs}), which another implementation of the
 * protocol (the pump MCU simulator in {@code edgefn-device-sim}) builds on; the driver's factory
 * ({@link io.edgefn.devices.spherelink.SphereLinkDriverFactory}, registered as
 * {@code sphere-link}); and a frame printer for debugging
 * ({@link io.edgefn.devices.spherelink.FrameWatcher}). Everything else is package-private.
 */
package io.edgefn.devices.spherelink;
