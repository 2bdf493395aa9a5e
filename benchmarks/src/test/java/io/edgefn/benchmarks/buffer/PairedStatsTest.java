package io.edgefn.benchmarks.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairedStatsTest {

    @Test
    void median_oddCount_isTheMiddleValue() {
        assertThat(PairedStats.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
    }

    @Test
    void median_evenCount_isTheMeanOfTheMiddleTwo() {
        assertThat(PairedStats.median(List.of(4.0, 1.0, 3.0, 10.0))).isEqualTo(3.5);
    }

    @Test
    void median_missingValues_areLeftOut() {
        assertThat(PairedStats.median(List.of(Double.NaN, 2.0, 8.0, Double.NaN, 5.0))).isEqualTo(5.0);
        assertThat(PairedStats.median(List.of())).isNaN();
    }

    @Test
    void pairedRatio_isTheMedianOfPerRoundRatios_notTheRatioOfMedians() {
        // Rounds: 100/50 = 2, 300/100 = 3, 90/90 = 1 -> median 2; the ratio of medians would be 100/90.
        List<Double> a = List.of(100.0, 300.0, 90.0);
        List<Double> b = List.of(50.0, 100.0, 90.0);

        assertThat(PairedStats.pairedRatio(a, b)).isEqualTo(2.0);
        assertThat(PairedStats.median(a) / PairedStats.median(b)).isNotEqualTo(2.0);
    }

    @Test
    void pairedRatio_roundsWithAMissingOrZeroDenominator_areLeftOut() {
        assertThat(PairedStats.pairedRatio(List.of(10.0, 20.0, 30.0), List.of(0.0, Double.NaN, 10.0))).isEqualTo(3.0);
        assertThat(PairedStats.pairedRatio(List.of(1.0), List.of(0.0))).isNaN();
    }

    @Test
    void pairedRatio_differentRoundCounts_isRefused() {
        assertThatThrownBy(() -> PairedStats.pairedRatio(List.of(1.0, 2.0), List.of(1.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the same rounds: 2 values against 1");
    }
}
