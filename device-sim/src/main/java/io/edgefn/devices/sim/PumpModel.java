package io.edgefn.devices.sim;

import java.util.random.RandomGenerator;

/**
 * The physics of the simulated pump: pressure (bar), temperature (°C) and speed (rpm), each
 * relaxing toward its set point with Gaussian noise, and a developing fault that makes the
 * pressure climb steadily once the pump has run for a while.
 *
 * <p>Not thread-safe: the simulator calls it under its own lock.
 */
final class PumpModel {
    /** Discharge pressure of a healthy running pump, bar. */
    static final double NOMINAL_PRESSURE = 85.0;
    /** Casing temperature of a healthy running pump, °C. */
    static final double NOMINAL_TEMP = 60.0;
    /** Shaft speed of a running pump. */
    static final double NOMINAL_RPM = 1450.0;
    private static final double AMBIENT_PRESSURE = 1.0;
    private static final double AMBIENT_TEMP = 25.0;

    private final RandomGenerator random;
    private final long faultAfterMillis;
    private final double faultRisePerSecond;
    private boolean running = true;
    private long runningSinceMillis;
    private double pressure = NOMINAL_PRESSURE;
    private double temp = NOMINAL_TEMP;
    private double rpm = NOMINAL_RPM;

    /** {@code faultAfterMillis} negative for no fault. */
    PumpModel(RandomGenerator random, long faultAfterMillis, double faultRisePerSecond, long nowMillis) {
        this.random = random;
        this.faultAfterMillis = faultAfterMillis;
        this.faultRisePerSecond = faultRisePerSecond;
        this.runningSinceMillis = nowMillis;
    }

    /** Advances the model by {@code dtSeconds} to {@code nowMillis}. */
    void step(double dtSeconds, long nowMillis) {
        double relax = Math.min(1.0, dtSeconds * 5.0);
        double noiseScale = Math.sqrt(Math.min(1.0, dtSeconds * 20.0));
        if (running) {
            double target = NOMINAL_PRESSURE;
            long runFor = nowMillis - runningSinceMillis;
            if (faultAfterMillis >= 0 && runFor > faultAfterMillis) {
                target += faultRisePerSecond * (runFor - faultAfterMillis) / 1000.0;
            }
            pressure += (target - pressure) * relax + random.nextGaussian() * 0.4 * noiseScale;
            temp += (NOMINAL_TEMP + (pressure - NOMINAL_PRESSURE) * 0.2 - temp) * relax * 0.1
                    + random.nextGaussian() * 0.1 * noiseScale;
            rpm = NOMINAL_RPM + random.nextGaussian() * 4.0;
        } else {
            pressure += (AMBIENT_PRESSURE - pressure) * relax + random.nextGaussian() * 0.05 * noiseScale;
            temp += (AMBIENT_TEMP - temp) * relax * 0.05;
            rpm = 0;
        }
    }

    void stop() {
        running = false;
        rpm = 0;
    }

    void restart(long nowMillis) {
        running = true;
        runningSinceMillis = nowMillis;
        pressure = NOMINAL_PRESSURE;
        rpm = NOMINAL_RPM;
    }

    boolean running() {
        return running;
    }

    double pressure() {
        return pressure;
    }

    double temp() {
        return temp;
    }

    double rpm() {
        return rpm;
    }
}
