package io.edgefn.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    /** A generator whose nextDouble() is always the largest double below 1: every delay is its step's ceiling. */
    private static final RandomGenerator TOP = () -> -1L;
    /** A generator whose nextDouble() is always 0. */
    private static final RandomGenerator ZERO = () -> 0L;
    /** nextDouble() = 0.5. */
    private static final RandomGenerator HALF = () -> 1L << 63;

    private static Backoff defaults(RandomGenerator random) {
        return new Backoff(Backoff.DEFAULT_INITIAL, Backoff.DEFAULT_CAP, random);
    }

    @Test
    void next_withTopJitter_doublesFrom100msToThe30sCap() {
        Backoff b = defaults(TOP);
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            millis.add(b.next().toMillis());
        }
        assertThat(millis).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 6400L, 12800L, 25600L, 30000L, 30000L, 30000L);
    }

    @Test
    void next_isFullJitter_uniformBetweenZeroAndTheCeiling() {
        Backoff zero = defaults(ZERO);
        Backoff half = defaults(HALF);
        for (int i = 0; i < 4; i++) {
            assertThat(zero.next()).isEqualTo(Duration.ZERO);
        }
        assertThat(half.next().toMillis()).isEqualTo(50L);
        assertThat(half.next().toMillis()).isEqualTo(100L);
        assertThat(half.next().toMillis()).isEqualTo(200L);
    }

    @Test
    void next_neverExceedsTheCapEvenAfterManySteps() {
        Backoff b = defaults(TOP);
        for (int i = 0; i < 1000; i++) {
            assertThat(b.next()).isLessThanOrEqualTo(Backoff.DEFAULT_CAP);
        }
        assertThat(b.ceiling()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void reset_startsAgainAtTheFirstStep() {
        Backoff b = defaults(TOP);
        b.next();
        b.next();
        b.next();
        assertThat(b.ceiling()).isEqualTo(Duration.ofMillis(800));
        b.reset();
        assertThat(b.next()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void constructor_refusesACapBelowTheInitialDelay() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), TOP))
                .hasMessageContaining("initial=PT2S").hasMessageContaining("cap=PT1S");
    }
}
