package io.edgefn.examples.pump;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.api.Message;
import io.edgefn.test.FunctionTestKit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The detector's slope rule, on the test kit: a steep slope counts only over a window that spans enough time. */
class AnomalyDetectorTest {

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
}
