package io.edgefn.examples.pump;

/**
 * The last N readings of one pump, with their mean, standard deviation and least-squares slope.
 * Not thread-safe.
 */
final class SlidingWindow {

    private final Reading[] ring;
    private int size;
    private int next;

    SlidingWindow(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("windowSize must be at least 2, was " + capacity);
        }
        this.ring = new Reading[capacity];
    }

    void add(Reading reading) {
        ring[next] = reading;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    Aggregate aggregate(String deviceId) {
        Reading latest = ring[(next - 1 + ring.length) % ring.length];
        double sumP = 0;
        double sumT = 0;
        for (int i = 0; i < size; i++) {
            sumP += ring[i].pressure();
            sumT += ring[i].temp();
        }
        double meanP = sumP / size;
        double sq = 0;
        // Least-squares slope of pressure over time, with time in seconds relative to the latest.
        double sumX = 0;
        double sumXX = 0;
        double sumXY = 0;
        for (int i = 0; i < size; i++) {
            double d = ring[i].pressure() - meanP;
            sq += d * d;
            double x = (ring[i].ts() - latest.ts()) / 1000.0;
            sumX += x;
            sumXX += x * x;
            sumXY += x * ring[i].pressure();
        }
        double denominator = size * sumXX - sumX * sumX;
        double slope = denominator == 0 ? 0 : (size * sumXY - sumX * sumP) / denominator;
        double stddev = size > 1 ? Math.sqrt(sq / (size - 1)) : 0;
        Reading oldest = size < ring.length ? ring[0] : ring[next % ring.length];
        return new Aggregate(deviceId, latest.ts(), size, latest.pressure(), meanP, stddev, slope,
                sumT / size, latest.rpm(), latest.ts() - oldest.ts());
    }
}
