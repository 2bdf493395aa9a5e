/**
 * Simulated devices, for the demo, the benchmarks and the tests: a pump MCU speaking the Sphere
 * link ({@link io.edgefn.devices.sim.PumpSimulator}), pseudo-terminal pairs made by socat
 * ({@link io.edgefn.devices.sim.PtyPair}), and the rig that puts the one on the far end of the
 * other, or of an in-memory line when socat is missing
 * ({@link io.edgefn.devices.sim.PumpRig}, the entry type).
 *
 * <p>Kept out of {@code edgefn-device-drivers} so that a gateway's drivers carry no simulator; the
 * simulator implements the protocol a second time on the driver module's public codec.
 */
package io.edgefn.devices.sim;
