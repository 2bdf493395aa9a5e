package io.edgefn.benchmarks.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class InvokeOptionsTest {

    @Test
    void quickRunsFewerRoundsAndMessages() {
        InvokeOptions full = InvokeOptions.parse(new String[0]);
        InvokeOptions quick = InvokeOptions.parse(new String[]{"--quick"});
        assertThat(quick.rounds()).isLessThan(full.rounds()).isGreaterThanOrEqualTo(3);
        assertThat(quick.messages()).isLessThan(full.messages());
    }

    @Test
    void explicitValuesWin() {
        InvokeOptions o = InvokeOptions.parse(new String[]{"--quick", "--messages", "1000", "--rounds", "7", "--payload", "128"});
        assertThat(o.messages()).isEqualTo(1000);
        assertThat(o.rounds()).isEqualTo(7);
        assertThat(o.payloadBytes()).isEqualTo(128);
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> InvokeOptions.parse(new String[]{"--rounds", "zero"}))
                .hasMessageContaining("--rounds").hasMessageContaining("'zero'");
        assertThatThrownBy(() -> InvokeOptions.parse(new String[]{"--messages"})).hasMessageContaining("--messages needs a value");
        assertThatThrownBy(() -> InvokeOptions.parse(new String[]{"--fast"})).hasMessageContaining("'--fast'");
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertThat(InvokeBench.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(InvokeBench.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    }
}
