/** Saved benchmark runs: the result with its command and machine, as JSON under {@code benchmarks/results/}. */
package io.edgefn.benchmarks.results;
