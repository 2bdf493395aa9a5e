package io.edgefn.devices.spherelink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void next_repeatedFailures_doublesUpToTheCapAndResetStartsOver() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(5000));
        long[] waits = new long[8];
        for (int i = 0; i < waits.length; i++) {
            waits[i] = b.next().toMillis();
        }
        assertThat(waits).containsExactly(100, 200, 400, 800, 1600, 3200, 5000, 5000);
        b.reset();
        assertThat(b.next()).isEqualTo(Duration.ofMillis(100));
    }
}
