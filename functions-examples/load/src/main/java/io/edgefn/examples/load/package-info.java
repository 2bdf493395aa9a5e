/**
 * Load generators for benchmarks: functions that burn resources on purpose, so a benchmark can
 * show what the host's safety path does under a busy neighbour
 * ({@link io.edgefn.examples.load.CpuBurner}), and the smallest function there is, for measuring
 * what the host adds to a call ({@link io.edgefn.examples.load.PassThrough}).
 */
package io.edgefn.examples.load;
