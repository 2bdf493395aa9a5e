/**
 * Device drivers: the service-provider interface through which the host talks to the
 * microcontrollers next to its machines, and the byte transports (serial ports, in-memory pipes)
 * they run on.
 *
 * <p>The entry type is {@link io.edgefn.devices.DeviceDrivers}: it finds a
 * {@link io.edgefn.devices.DeviceDriverFactory} by name and creates a
 * {@link io.edgefn.devices.DeviceDriver} for one configured device. The Sphere link driver lives
 * in {@link io.edgefn.devices.spherelink}.
 */
package io.edgefn.devices;
