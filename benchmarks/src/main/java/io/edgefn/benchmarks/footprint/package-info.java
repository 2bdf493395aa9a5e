/**
 * {@code edgefn bench footprint}: the gateway's resident memory when idle and its time to ready,
 * with and without the JDK's AOT cache, against the floor of a JVM with the same flags running
 * nothing. Every JVM measured is a process of its own, started as the launcher starts it.
 */
package io.edgefn.benchmarks.footprint;
