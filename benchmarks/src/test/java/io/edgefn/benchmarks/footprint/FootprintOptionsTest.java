package io.edgefn.benchmarks.footprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The options of {@code edgefn bench footprint}: defaults, --quick, and each bad input named. */
class FootprintOptionsTest {

    @Test
    void defaults_idleThirtySeconds_andRecordTheCache() {
        FootprintOptions o = FootprintOptions.parse(new String[0]);
        assertThat(o.idleSeconds()).isEqualTo(30);
        assertThat(o.recordCache()).isTrue();
        assertThat(o.quick()).isFalse();
    }

    @Test
    void quick_idlesTenSeconds_andAnExplicitIdleWins() {
        assertThat(FootprintOptions.parse(new String[] {"--quick"}).idleSeconds()).isEqualTo(10);
        assertThat(FootprintOptions.parse(new String[] {"--quick", "--idle", "5", "--no-record"}))
                .isEqualTo(new FootprintOptions(false, true, 5, false));
    }

    @Test
    void badInput_isNamed() {
        assertThatThrownBy(() -> FootprintOptions.parse(new String[] {"--idle", "0"}))
                .hasMessageContaining("--idle must be a whole number of seconds from 1 to 3600, was '0'");
        assertThatThrownBy(() -> FootprintOptions.parse(new String[] {"--idle"})).hasMessageContaining("--idle needs a value");
        assertThatThrownBy(() -> FootprintOptions.parse(new String[] {"--fast"})).hasMessageContaining("unknown option '--fast'");
    }
}
