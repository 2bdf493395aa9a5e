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

    @Test
    void percentileMillis_twoOfHundredMissed_p99IsInfiniteAndP50Finite() {
        Latencies l = new Latencies();
        for (int i = 1; i <= 98; i++) {
            l.add(i * 1_000_000L);
        }
        l.addMissed();
        l.addMissed();

        assertThat(l.count()).isEqualTo(100);
        assertThat(l.missed()).isEqualTo(2);
        assertThat(l.percentileMillis(50)).isEqualTo(50.0);
        assertThat(l.percentileMillis(98)).isEqualTo(98.0);
        assertThat(l.percentileMillis(99)).isInfinite();
        assertThat(l.maxMillis()).isInfinite();
    }

    @Test
    void percentileMillis_onePercentMissed_p99IsTheLargestFiniteValue() {
        Latencies l = new Latencies();
        for (int i = 1; i <= 99; i++) {
            l.add(i * 1_000_000L);
        }
        l.addMissed();

        assertThat(l.percentileMillis(99)).isEqualTo(99.0);
        assertThat(l.maxMillis()).isInfinite();
    }

    @Test
    void percentileMillis_allMissed_isInfiniteNotNaN() {
        Latencies l = new Latencies();
        l.addMissed();

        assertThat(l.percentileMillis(50)).isInfinite();
        assertThat(LoopJson.millis(l.percentileMillis(50))).isNull();
        assertThat(LoopJson.text(l.percentileMillis(50)).strip()).isEqualTo("∞");
    }

    @Test
    void addAll_keepsTheMissedOnes() {
        Latencies a = new Latencies();
        a.add(1_000_000);
        Latencies b = new Latencies();
        b.addMissed();
        a.addAll(b);

        assertThat(a.count()).isEqualTo(2);
        assertThat(a.missed()).isEqualTo(1);
    }
}
