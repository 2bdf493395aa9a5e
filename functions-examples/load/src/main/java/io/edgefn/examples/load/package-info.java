/**
 * Load generators for benchmarks: functions that burn resources on purpose, so a benchmark can
 * show what the host's safety path does under a busy neighbour
 * ({@link io.edgefn.examples.load.CpuBurner}).
 */
package io.edgefn.examples.load;
