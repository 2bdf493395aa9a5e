package io.edgefn.benchmarks.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BufferBenchOptionsTest {

    @Test
    void parse_noArguments_isTheFullRun() {
        BufferBenchOptions o = BufferBenchOptions.parse(List.of());

        assertThat(o.quick()).isFalse();
        assertThat(o.rounds()).isEqualTo(5);
        assertThat(o.dir()).isNull();
        assertThat(o.recoveryBytes()).isEqualTo(1L << 30);
        assertThat(o.run()).isGreaterThan(Duration.ofSeconds(5));
    }

    @Test
    void parse_quick_runsThreeShortRoundsAndASmallRecoveryStore() {
        BufferBenchOptions o = BufferBenchOptions.parse(List.of("--quick"));

        assertThat(o.quick()).isTrue();
        assertThat(o.rounds()).isEqualTo(3);
        assertThat(o.recoveryBytes()).isLessThan(1L << 30);
        assertThat(o.run()).isLessThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void parse_dirAndRounds_takesBoth() {
        BufferBenchOptions o = BufferBenchOptions.parse(List.of("--dir", "/data/x", "--rounds", "7", "--quick"));

        assertThat(o.dir()).isEqualTo(Path.of("/data/x"));
        assertThat(o.rounds()).isEqualTo(7);
        assertThat(o.quick()).isTrue();
    }

    @Test
    void parse_help_isNoted() {
        assertThat(BufferBenchOptions.parse(List.of("--help")).help()).isTrue();
        assertThat(BufferBenchOptions.parse(List.of("-h")).help()).isTrue();
    }

    @Test
    void parse_badArguments_namesEveryProblemAndWhereItIs() {
        assertThatThrownBy(() -> BufferBenchOptions.parse(List.of("--rounds", "many", "--fast", "--rounds", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--rounds needs a whole number, was 'many' (argument 2)")
                .hasMessageContaining("unknown argument '--fast' (argument 3)")
                .hasMessageContaining("--rounds must be 1..50, was 0 (argument 5)");
    }

    @Test
    void parse_missingValues_sayWhatIsMissing() {
        assertThatThrownBy(() -> BufferBenchOptions.parse(List.of("--dir")))
                .hasMessageContaining("--dir needs a directory after it (argument 1)");
        assertThatThrownBy(() -> BufferBenchOptions.parse(List.of("--dir", "--quick")))
                .hasMessageContaining("--dir needs a directory after it");
        assertThatThrownBy(() -> BufferBenchOptions.parse(List.of("--quick", "--rounds")))
                .hasMessageContaining("--rounds needs a number after it (argument 2)");
    }
}
