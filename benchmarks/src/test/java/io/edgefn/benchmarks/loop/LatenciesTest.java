package io.edgefn.benchmarks.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentileMillis_hundredValues_isTheNearestRank() {
        Latencies l = new Latencies();
        for (int i = 100; i >= 1; i--) {
            l.add(i * 1_000_000L);
        }

        assertThat(l.count()).isEqualTo(100);
        assertThat(l.percentileMillis(50)).isEqualTo(50.0);
        assertThat(l.percentileMillis(99)).isEqualTo(99.0);
        assertThat(l.maxMillis()).isEqualTo(100.0);
    }

    @Test
    void percentileMillis_oneValue_isThatValue() {
        Latencies l = new Latencies();
        l.add(1_500_000);

        assertThat(l.percentileMillis(1)).isEqualTo(1.5);
        assertThat(l.percentileMillis(99)).isEqualTo(1.5);
    }

    @Test
    void percentileMillis_none_isNaN() {
        assertThat(new Latencies().percentileMillis(99)).isNaN();
    }

    @Test
    void add_negative_isRefusedWithTheValue() {
        assertThatThrownBy(() -> new Latencies().add(-5)).hasMessageContaining("-5 ns");
    }
}
