package io.edgefn.benchmarks.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GcWatchTest {

    @Test
    @SuppressWarnings("unchecked")
    void safepoints_onlyThoseInTheWindow_withTheLongest() {
        List<String> log = List.of(
                "[1.000s][info][safepoint] Safepoint \"G1CollectForAllocation\", Time since last: 1 ns, Reaching safepoint: 3 ns, At safepoint: 5 ns, Leaving safepoint: 1 ns, Total: 9000000 ns, Threads: 0 runnable, 11 total",
                "[2.500s][info][safepoint] Safepoint \"ZMarkStartYoung\", Time since last: 1 ns, Reaching safepoint: 3 ns, At safepoint: 5 ns, Leaving safepoint: 1 ns, Total: 220317 ns, Threads: 1 runnable, 11 total",
                "[3.000s][info][safepoint] Safepoint \"SerialGCCollect\", Time since last: 1 ns, Reaching safepoint: 3 ns, At safepoint: 5 ns, Leaving safepoint: 1 ns, Total: 4000000 ns, Threads: 0 runnable, 11 total",
                "[3.100s][info][gc] something else",
                "[9.000s][info][safepoint] Safepoint \"G1CollectForAllocation\", Time since last: 1 ns, Reaching safepoint: 3 ns, At safepoint: 5 ns, Leaving safepoint: 1 ns, Total: 50000000 ns, Threads: 0 runnable, 11 total");

        Map<String, Object> s = GcWatch.safepoints(log, 2.0, 5.0);

        assertThat(s.get("count")).isEqualTo(2);
        assertThat(s.get("maxMillis")).isEqualTo(4.0);
        assertThat(s.get("totalMillis")).isEqualTo(4.22);
        assertThat(((Map<String, Object>) s.get("byOperation"))).containsOnlyKeys("ZMarkStartYoung", "SerialGCCollect");
    }

    @Test
    void collectorName_ofThisJvm_isKnown() {
        assertThat(GcWatch.collectorName()).isIn("G1", "ZGC", "Serial", "Parallel", "Shenandoah");
    }
}
