package io.edgefn.examples.pump;

/**
 * What the anomaly detector has learned about one pump's normal pressure, as it keeps it in its
 * {@code baselines} state store so that a restart does not relearn from zero.
 *
 * @param mean     the exponentially weighted mean pressure, bar
 * @param variance the exponentially weighted variance, bar²
 * @param learned  how many readings taught it (the warm-up counts these)
 */
public record PressureBaseline(double mean, double variance, long learned) {
}
