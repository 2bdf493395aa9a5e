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

    @Test
    void parse_default_comparesG1ZgcAndSerialInTwoRounds() {
        LoopOptions o = LoopOptions.parse(List.of());

        assertThat(o.collectors()).containsExactly("G1", "ZGC", "Serial");
        assertThat(o.rounds()).isEqualTo(2);
        assertThat(o.trialsOfRound(0) + o.trialsOfRound(1)).isEqualTo(1_000);
        assertThat(o.quick()).isFalse();
        assertThat(o.child()).isFalse();
    }

    @Test
    void parse_quick_oneRoundAndMarkedQuick() {
        LoopOptions o = LoopOptions.parse(List.of("--quick"));

        assertThat(o.rounds()).isEqualTo(1);
        assertThat(o.quick()).isTrue();
    }

    @Test
    void parse_collectors_caseInsensitiveInTheGivenOrder() {
        LoopOptions o = LoopOptions.parse(List.of("--collectors", "serial,g1", "--rounds", "3", "--trials", "10"));

        assertThat(o.collectors()).containsExactly("Serial", "G1");
        assertThat(List.of(o.trialsOfRound(0), o.trialsOfRound(1), o.trialsOfRound(2))).containsExactly(4, 3, 3);
    }

    @Test
    void parse_badCollectors_namesThem() {
        assertThatThrownBy(() -> LoopOptions.parse(List.of("--collectors", "G1,CMS,G1")))
                .hasMessageContaining("unknown collector 'CMS' (argument 2); known: G1, ZGC, Serial, Parallel")
                .hasMessageContaining("--collectors names G1 twice");
        assertThatThrownBy(() -> LoopOptions.parse(List.of("--collectors")))
                .hasMessageContaining("--collectors needs a list after it");
    }

    @Test
    void parse_moreRoundsThanTrials_isRefused() {
        assertThatThrownBy(() -> LoopOptions.parse(List.of("--trials", "2", "--rounds", "3")))
                .hasMessageContaining("--rounds 3 is more than the 2 trials");
    }

    @Test
    void parse_child_isOneRoundInThisJvm() {
        LoopOptions o = LoopOptions.parse(List.of("--child", "--trials", "5"));

        assertThat(o.child()).isTrue();
        assertThat(o.rounds()).isEqualTo(1);
    }
}
