/**
 * The downhole pump scenario, written as a user writes functions: readings from the pump's MCU
 * go through {@link io.edgefn.examples.pump.PumpAnalytics} (sliding-window statistics),
 * {@link io.edgefn.examples.pump.AnomalyDetector} (an EWMA z-score model with hysteresis and a
 * hard safety limit) and {@link io.edgefn.examples.pump.PumpShutdown}, which stops the pump
 * through its MCU and reports whether the MCU acknowledged it.
 */
package io.edgefn.examples.pump;
