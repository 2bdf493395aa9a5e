/**
 * {@code edgefn bench loop}: the control loop of the pump scenario measured end to end over a
 * real pty pair, from an anomalous reading written by the MCU simulator to the shutdown COMMAND
 * it reads back, while another function burns CPU. {@link io.edgefn.benchmarks.loop.LoopBench}
 * is the entry point; the rest is package-private.
 */
package io.edgefn.benchmarks.loop;
