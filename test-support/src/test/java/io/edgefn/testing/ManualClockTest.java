package io.edgefn.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ManualClockTest {

    @Test
    void newClock_startsAtTheDefaultMidnight() {
        ManualClock clock = new ManualClock();

        assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START);
        assertThat(clock.millis()).isEqualTo(1_764_115_200_000L);
    }

    @Test
    void advance_movesForwardByTheAmount() {
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(1_000));

        clock.advance(Duration.ofMillis(600));
        clock.advance(Duration.ofNanos(1));

        assertThat(clock.instant()).isEqualTo(Instant.ofEpochMilli(1_600).plusNanos(1));
    }

    @Test
    void advance_negativeAmount_isRefusedNamingIt() {
        ManualClock clock = new ManualClock();

        assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-0.005S");
        assertThat(clock.instant()).isEqualTo(ManualClock.DEFAULT_START);
    }

    @Test
    void set_movesEitherWay() {
        ManualClock clock = new ManualClock(Instant.ofEpochMilli(5_000));

        clock.set(Instant.ofEpochMilli(1_600));
        assertThat(clock.millis()).isEqualTo(1_600);
        clock.set(Instant.ofEpochMilli(9_000));
        assertThat(clock.millis()).isEqualTo(9_000);
    }
}
