package io.edgefn.examples.pump;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.api.Message;
import io.edgefn.test.FunctionTestKit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector on the test kit: a steep slope counts only over a window that spans enough time,
 * and its learned baseline survives a restart.
 */
class AnomalyDetectorTest {

    @TempDir
    Path stateDir;

    private static String aggregate(double pressure, double slope, long spanMillis) {
        return """
                {"deviceId": "pump-01", "ts": 1000, "count": 40, "pressure": %s, "pressureMean": 85.2,
                 "pressureStddev": 0.4, "pressureSlope": %s, "tempMean": 60, "rpm": 2950, "spanMillis": %d}"""
                .formatted(pressure, slope, spanMillis);
    }

    private static List<Message> feed(FunctionTestKit kit, int normal, double slope, long spanMillis, int steep) {
        for (int i = 0; i < normal; i++) {
            kit.send("aggregates", aggregate(85.2 + (i % 3) * 0.1, 0.1, 800));
        }
        for (int i = 0; i < steep; i++) {
            kit.send("aggregates", aggregate(85.6, slope, spanMillis));
        }
        return kit.outputs("anomalies");
    }

    @Test
    void aSteepSlopeOverABunchedUpWindow_isNoAnomaly() {
        try (FunctionTestKit kit = FunctionTestKit.of(AnomalyDetector.class).start()) {
            assertThat(feed(kit, 60, 6.0, 120, 10)).isEmpty();
        }
    }

    @Test
    void aSteepSlopeOverAWindowThatSpansEnoughTime_isAnAnomaly() {
        try (FunctionTestKit kit = FunctionTestKit.of(AnomalyDetector.class).start()) {
            List<Message> anomalies = feed(kit, 60, 6.0, 800, 10);
            assertThat(anomalies).hasSize(1);
            assertThat(anomalies.get(0).bodyAsString()).contains("slope");
        }
    }

    @Test
    void aRestart_resumesFromTheSavedBaseline_soAHighReadingIsFlaggedWithoutRelearning() {
        try (FunctionTestKit kit = FunctionTestKit.of(AnomalyDetector.class).stateDirectory(stateDir).start()) {
            assertThat(feed(kit, 60, 0.1, 800, 0)).isEmpty(); // learns ~85.2 bar; saved when the warm-up completed
            assertThat(kit.state("baselines").get("pump-01").get("learned").asLong()).isEqualTo(40);
        }
        // A new kit on the same directory is a restarted host: 5 readings at 95 bar are 5 beyond the
        // learned normal (z ≈ 19), so the 5th trips — a model learning from zero would take them as its warm-up.
        try (FunctionTestKit kit = FunctionTestKit.of(AnomalyDetector.class).stateDirectory(stateDir).start()) {
            for (int i = 0; i < 5; i++) {
                kit.send("aggregates", aggregate(95.0, 0.1, 800));
            }
            List<Message> anomalies = kit.outputs("anomalies");
            assertThat(anomalies).hasSize(1);
            assertThat(anomalies.get(0).bodyAsString()).contains("z-score");
        }
        try (FunctionTestKit kit = FunctionTestKit.of(AnomalyDetector.class).start()) { // no saved state: relearns
            for (int i = 0; i < 5; i++) {
                kit.send("aggregates", aggregate(95.0, 0.1, 800));
            }
            assertThat(kit.outputs("anomalies")).isEmpty();
        }
    }

    @Test
    void theBaselineIsSavedEveryNReadingsLearned_notPerReading() {
        try (FunctionTestKit kit = FunctionTestKit.of(AnomalyDetector.class)
                .settings(java.util.Map.of("baselineSaveEvery", 25)).start()) {
            feed(kit, 24, 0.1, 800, 0);
            assertThat(kit.state("baselines")).isEmpty();
            feed(kit, 1, 0.1, 800, 0);
            assertThat(kit.state("baselines").get("pump-01").get("learned").asLong()).isEqualTo(25);
            feed(kit, 15, 0.1, 800, 0); // the warm-up completes: saved at once
            assertThat(kit.state("baselines").get("pump-01").get("learned").asLong()).isEqualTo(40);
            feed(kit, 24, 0.1, 800, 0);
            assertThat(kit.state("baselines").get("pump-01").get("learned").asLong()).isEqualTo(40);
            feed(kit, 1, 0.1, 800, 0);
            assertThat(kit.state("baselines").get("pump-01").get("learned").asLong()).isEqualTo(65);
        }
    }
}
