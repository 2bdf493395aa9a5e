package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final LogThrottle throttle = new LogThrottle(10_000, now::get);

    @Test
    void tryAcquire_letsOneLineThroughPerInterval_andCountsTheRest() {
        assertThat(throttle.tryAcquire()).as("the first line goes through").isZero();
        for (int i = 0; i < 999; i++) {
            assertThat(throttle.tryAcquire()).isEqualTo(-1);
        }
        now.addAndGet(9_999);
        assertThat(throttle.tryAcquire()).isEqualTo(-1);
        now.addAndGet(1);

        assertThat(throttle.tryAcquire()).as("the next line says how many were held back").isEqualTo(1_000);
        assertThat(throttle.tryAcquire()).isEqualTo(-1);
    }
}
