package io.edgefn.benchmarks.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoopOptionsTest {

    @Test
    void parse_noArguments_runsAThousandTrialsWithTheBurner() {
        LoopOptions o = LoopOptions.parse(List.of());

        assertThat(o.trials()).isEqualTo(1_000);
        assertThat(o.burning()).isTrue();
        assertThat(o.burnMillis()).isEqualTo(LoopOptions.DEFAULT_BURN_MILLIS);
        assertThat(o.telemetryHz()).isEqualTo(1_000);
    }

    @Test
    void parse_quick_runsTwoHundredTrials() {
        assertThat(LoopOptions.parse(List.of("--quick")).trials()).isEqualTo(200);
    }

    @Test
    void parse_trialsAndNoBurn_takesBoth() {
        LoopOptions o = LoopOptions.parse(List.of("--trials", "20", "--no-burn", "--warmup", "0", "--seed", "9"));

        assertThat(o.trials()).isEqualTo(20);
        assertThat(o.burning()).isFalse();
        assertThat(o.warmupTrials()).isZero();
        assertThat(o.seed()).isEqualTo(9);
    }

    @Test
    void parse_badArguments_namesEveryProblemAndWhereItIs() {
        assertThatThrownBy(() -> LoopOptions.parse(List.of("--trials", "many", "--fast", "--burn-millis", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--trials needs a whole number, was 'many' (argument 2)")
                .hasMessageContaining("unknown argument '--fast' (argument 3)")
                .hasMessageContaining("--burn-millis must be 1..1000, was 0 (argument 5)");
    }

    @Test
    void parse_missingValue_saysWhatIsMissing() {
        assertThatThrownBy(() -> LoopOptions.parse(List.of("--trials")))
                .hasMessageContaining("--trials needs a number after it");
    }

    @Test
    void parse_noBurnWithBurnMillis_isAContradiction() {
        assertThatThrownBy(() -> LoopOptions.parse(List.of("--no-burn", "--burn-millis", "5")))
                .hasMessageContaining("--no-burn and --burn-millis contradict each other");
    }
}
