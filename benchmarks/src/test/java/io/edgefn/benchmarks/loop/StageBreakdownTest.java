package io.edgefn.benchmarks.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StageBreakdownTest {

    private static final long MS = 1_000_000L;
    private static final long LIMIT = 1_000 * MS;

    @Test
    void add_inOrderTrial_measuresEveryStage() {
        StageBreakdown b = new StageBreakdown(LIMIT);
        b.add(new TrialTimes(1 * MS, 3 * MS, 4 * MS, 6 * MS, true));

        assertThat(b.total().percentileMillis(50)).isEqualTo(6.0);
        assertThat(b.stage("driverIn").latencies.percentileMillis(50)).isEqualTo(1.0);
        assertThat(b.stage("functions").latencies.percentileMillis(50)).isEqualTo(2.0);
        assertThat(b.stage("inAndFunctions").latencies.percentileMillis(50)).isEqualTo(3.0);
        assertThat(b.stage("driverOut").latencies.percentileMillis(50)).isEqualTo(1.0);
        assertThat(b.stage("ackBack").latencies.percentileMillis(50)).isEqualTo(2.0);
        assertThat(b.stage("driverOnly").latencies.percentileMillis(50)).isEqualTo(1.0 + 1.0 + 2.0);
        assertThat(b.stage("commandAtMcu").latencies.percentileMillis(50)).isEqualTo(4.0);
        assertThat(b.missed()).isZero();
    }

    @Test
    void add_routedReportedAfterTheCommand_stillCountsWithTheStagesItHas() {
        StageBreakdown b = new StageBreakdown(LIMIT);
        b.add(new TrialTimes(1 * MS, 3 * MS, 4 * MS, 6 * MS, true));
        b.add(new TrialTimes(5 * MS, 3 * MS, 4 * MS, 9 * MS, true)); // "routed" came late

        assertThat(b.total().count()).isEqualTo(2);
        assertThat(b.total().maxMillis()).isEqualTo(9.0);
        assertThat(b.stage("driverIn").unordered).isEqualTo(1);
        assertThat(b.stage("functions").unordered).isEqualTo(1);
        assertThat(b.stage("inAndFunctions").latencies.count()).isEqualTo(2);
        assertThat(b.stage("driverOut").latencies.count()).isEqualTo(2);
        assertThat(b.stage("ackBack").latencies.maxMillis()).isEqualTo(5.0);
        for (String s : StageBreakdown.STAGES) {
            assertThat(b.stage(s).trials()).as(s).isEqualTo(2);
        }
    }

    @Test
    void add_noAck_isMissedInTheTotalAndInfiniteInTheAckLeg() {
        StageBreakdown b = new StageBreakdown(LIMIT);
        b.add(new TrialTimes(1 * MS, 3 * MS, 4 * MS, -1, false));

        assertThat(b.missed()).isEqualTo(1);
        assertThat(b.total().percentileMillis(50)).isInfinite();
        assertThat(b.stage("driverOut").latencies.percentileMillis(50)).isEqualTo(1.0);
        assertThat(b.stage("ackBack").latencies.missed()).isEqualTo(1);
        assertThat(b.stage("driverOnly").latencies.missed()).isEqualTo(1);
    }

    @Test
    void add_noCommandAtAll_laterStagesAreNotReached() {
        StageBreakdown b = new StageBreakdown(LIMIT);
        b.add(new TrialTimes(1 * MS, -1, -1, -1, false));

        assertThat(b.stage("functions").latencies.missed()).isEqualTo(1);
        assertThat(b.stage("inAndFunctions").latencies.missed()).isEqualTo(1);
        assertThat(b.stage("driverOut").notReached).isEqualTo(1);
        assertThat(b.stage("ackBack").notReached).isEqualTo(1);
    }

    @Test
    void add_lateAck_isMissedAndLateButItsStagesAreReal() {
        StageBreakdown b = new StageBreakdown(LIMIT);
        b.add(new TrialTimes(1 * MS, 3 * MS, 4 * MS, 1_500 * MS, true));

        assertThat(b.missed()).isEqualTo(1);
        assertThat(b.late()).isEqualTo(1);
        assertThat(b.stage("ackBack").latencies.percentileMillis(50)).isEqualTo(1_496.0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void stagesToMap_infiniteP99IsNullWithItsCounts() {
        StageBreakdown b = new StageBreakdown(LIMIT);
        for (int i = 0; i < 10; i++) {
            b.add(new TrialTimes(1 * MS, 3 * MS, 4 * MS, i == 0 ? -1 : 6 * MS, true));
        }
        Map<String, Object> ack = (Map<String, Object>) b.stagesToMap().get("ackBack");

        assertThat(ack.get("p99Millis")).isNull();
        assertThat(ack.get("p50Millis")).isEqualTo(2.0);
        assertThat(ack.get("infinite")).isEqualTo(1);
        assertThat(ack.get("measured")).isEqualTo(9);
        assertThat(ack.get("trials")).isEqualTo(10L);
    }

    @Test
    void trialTimes_roundTripThroughTheChildsArray() {
        TrialTimes t = new TrialTimes(1, 2, 3, -1, true);

        assertThat(TrialTimes.fromArray(t.toArray())).isEqualTo(t);
    }
}
