package io.edgefn.examples.pump;

import io.edgefn.api.EdgeFunction;
import io.edgefn.api.FunctionContext;
import io.edgefn.api.Message;
import io.edgefn.api.RouteTrigger;
import io.edgefn.api.SendTo;
import io.edgefn.api.Settings;
import io.edgefn.api.State;
import io.edgefn.api.StateStore;
import io.edgefn.api.SystemProperties;
import java.util.HashMap;
import java.util.Map;

/**
 * Anomaly detection on pump statistics. Per pump it learns the normal pressure as an
 * exponentially weighted mean and variance, and flags an anomaly when
 * <ul>
 *   <li>a single reading is beyond the pump's hard safety limit ({@code hardLimit}, bar), or</li>
 *   <li>{@code consecutive} readings in a row are more than {@code zThreshold} learned standard
 *       deviations above normal, or rise faster than {@code slopeLimit} bar per second — the
 *       slope counting only when the window spans at least {@code minSlopeSpanMillis} (default
 *       500 ms): readings that arrive bunched up fit a steep line through noise.</li>
 * </ul>
 * After flagging it stays quiet for that pump (hysteresis) until the pump reports
 * {@code pump-restarted}, so one fault gives one anomaly. While an anomaly is developing the
 * model stops learning, so a slow fault cannot teach it that the fault is normal.
 *
 * <p>The learned baseline (mean, variance, readings learned) is kept in the state store
 * {@code baselines}, so a restart of the host resumes from it instead of learning from zero: it is
 * saved after every {@code baselineSaveEvery} (default 50) readings learned and when the warm-up
 * completes, not per reading — a save waits for a disk flush, and this function is on the safety
 * path. After a power loss the model therefore lacks at most the last
 * {@code baselineSaveEvery} readings of learning, which at {@code alpha} = 0.005 moves its mean by
 * a fraction of a standard deviation. Runs in progress and the trip are not saved: after a restart
 * the detector is armed again (a fault still present is flagged again, the safe side) and a
 * developing run counts from zero. A save that fails (a full disk) is logged and tried again with
 * the next reading learned: detection does not depend on the disk.
 *
 * <p>One invocation at a time (the default), so the per-pump models need no lock.
 */
@EdgeFunction(value = "anomaly-detector", timeoutMillis = 2_000)
public class AnomalyDetector {

    private final Map<String, PressureModel> models = new HashMap<>();

    /** Scores one aggregate; returns an anomaly to send, or {@code null} when all is well. */
    @RouteTrigger(input = "aggregates")
    @SendTo("anomalies")
    public Anomaly onAggregate(Aggregate aggregate, FunctionContext context,
                               @StateStore("baselines") State<PressureBaseline> baselines) {
        Settings s = context.settings();
        PressureModel model = models.computeIfAbsent(aggregate.deviceId(),
                id -> baselines.get(id).map(PressureModel::new).orElseGet(PressureModel::new));
        int warmup = (int) s.integer("warmup", 40);
        long learnedBefore = model.learned;
        Anomaly anomaly = model.score(aggregate, context.clock().millis(),
                s.number("hardLimit", 180), s.number("zThreshold", 5), (int) s.integer("consecutive", 5),
                s.number("slopeLimit", 2), s.number("alpha", 0.005), warmup,
                s.integer("minSlopeSpanMillis", 500));
        long saveEvery = Math.max(1, s.integer("baselineSaveEvery", 50));
        if (model.learned != learnedBefore && (model.learned == warmup || model.learned - model.savedAt >= saveEvery)) {
            try {
                baselines.put(aggregate.deviceId(), model.baseline());
                model.savedAt = model.learned;
            } catch (RuntimeException e) {
                // Detection must not fail with the disk: this reading was scored and the model
                // updated, and a retry would score it twice. The next reading learned tries again.
                context.logger().log(System.Logger.Level.WARNING, "cannot save the baseline of "
                        + aggregate.deviceId() + ": " + e.getMessage());
            }
        }
        return anomaly;
    }

    /** Re-arms a pump's model when its MCU reports that the pump runs again. */
    @RouteTrigger(input = "events")
    public void onPumpEvent(PumpEvent event, Message message, FunctionContext context,
                            @StateStore("baselines") State<PressureBaseline> baselines) {
        String deviceId = message.systemProperty(SystemProperties.CONNECTION_DEVICE_ID);
        if ("pump-restarted".equals(event.name()) && deviceId != null) {
            models.remove(deviceId);
            baselines.remove(deviceId);
            context.logger().log(System.Logger.Level.INFO, "re-armed anomaly detection for " + deviceId);
        }
    }

    /** The learned pressure of one pump. Not thread-safe. */
    static final class PressureModel {
        private double mean;
        private double variance;
        private long learned;
        private long savedAt;
        private int zRun;
        private int slopeRun;
        private boolean tripped;

        PressureModel() {
        }

        /** A model resuming from a saved baseline: armed, with no run in progress. */
        PressureModel(PressureBaseline saved) {
            mean = saved.mean();
            variance = saved.variance();
            learned = saved.learned();
            savedAt = learned;
        }

        PressureBaseline baseline() {
            return new PressureBaseline(mean, variance, learned);
        }

        Anomaly score(Aggregate a, long now, double hardLimit, double zThreshold, int consecutive,
                      double slopeLimit, double alpha, int warmup, long minSlopeSpanMillis) {
            if (tripped) {
                return null;
            }
            double p = a.pressure();
            if (p > hardLimit) {
                return trip(a, now, "hard-limit", zScore(p), consecutive);
            }
            if (learned < warmup) {
                learn(p, learned == 0 ? 1 : 1.0 / (learned + 1));
                return null;
            }
            double z = zScore(p);
            zRun = z > zThreshold ? zRun + 1 : 0;
            // A slope fitted over readings that arrived bunched up (a late scheduler, a busy line)
            // spans too little time to mean anything: its noise alone can pass the limit.
            boolean slopeMeaningful = a.count() >= warmup / 2 && a.spanMillis() >= minSlopeSpanMillis;
            slopeRun = slopeMeaningful && a.pressureSlope() > slopeLimit ? slopeRun + 1 : 0;
            if (zRun >= consecutive) {
                return trip(a, now, "z-score", z, zRun);
            }
            if (slopeRun >= consecutive) {
                return trip(a, now, "slope", z, slopeRun);
            }
            if (zRun == 0 && slopeRun == 0) {
                learn(p, alpha);
            }
            return null;
        }

        private double zScore(double p) {
            // A floor on sigma keeps a very quiet sensor from turning noise into anomalies.
            double sigma = Math.max(Math.sqrt(variance), 0.5);
            return (p - mean) / sigma;
        }

        private void learn(double p, double weight) {
            double delta = p - mean;
            mean += weight * delta;
            variance = (1 - weight) * (variance + weight * delta * delta);
            learned++;
        }

        private Anomaly trip(Aggregate a, long now, String reason, double z, int run) {
            tripped = true;
            return new Anomaly(a.deviceId(), now, reason, a.pressure(), mean, z, a.pressureSlope(), run);
        }
    }
}
