package io.edgefn.buffer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InFlightTest {
    @Test
    void inOrderAcks_dropThePrefix() {
        InFlight f = new InFlight();
        for (long s = 10; s < 20; s++) {
            f.add(s);
        }
        assertThat(f.ack(10)).isTrue();
        assertThat(f.ack(10)).as("second ack").isFalse();
        f.dropAckedPrefix();
        assertThat(f.first()).isEqualTo(11);
        assertThat(f.ackedCount()).isZero();
    }

    @Test
    void outOfOrderAcks_andGaps_keepTheFirstUnacknowledged() {
        InFlight f = new InFlight();
        f.add(5);
        f.add(7); // 6 expired: never handed out
        f.add(8);
        f.add(100); // a damaged range skipped
        assertThat(f.state(6)).isZero();
        assertThat(f.ack(100)).isTrue();
        assertThat(f.ack(7)).isTrue();
        assertThat(f.ack(6)).isFalse();
        f.dropAckedPrefix();
        assertThat(f.first()).isEqualTo(5);
        assertThat(f.state(7)).isEqualTo(2);
        assertThat(f.state(8)).isEqualTo(1);
        assertThat(f.ackedCount()).isEqualTo(2);
        assertThat(f.ackedIn(0, 100)).isEqualTo(1);
        assertThat(f.ackedIn(0, 101)).isEqualTo(2);
        assertThat(f.ack(5)).isTrue();
        f.dropAckedPrefix();
        assertThat(f.first()).isEqualTo(8);
        assertThat(f.ack(8)).isTrue();
        f.dropAckedPrefix();
        assertThat(f.isEmpty()).isTrue();
        assertThat(f.ackedCount()).isZero();
    }

    @Test
    void grows_whileTheRingHasWrapped() {
        InFlight f = new InFlight();
        long next = 0;
        for (; next < 1000; next++) {
            f.add(next);
        }
        for (long s = 0; s < 900; s++) {
            f.ack(s);
        }
        f.dropAckedPrefix(); // head is now at 900 of 1024: adding wraps, then grows
        for (; next < 5000; next++) {
            f.add(next);
        }
        assertThat(f.first()).isEqualTo(900);
        for (long s = 4999; s >= 900; s--) {
            assertThat(f.state(s)).as("seq %d", s).isEqualTo(1);
            assertThat(f.ack(s)).isTrue();
        }
        assertThat(f.ackedIn(900, 5000)).isEqualTo(4100);
        f.dropAckedPrefix();
        assertThat(f.isEmpty()).isTrue();
    }

    @Test
    void add_refusesASequenceNotAboveTheLast() {
        InFlight f = new InFlight();
        f.add(3);
        assertThatThrownBy(() -> f.add(3)).isInstanceOf(IllegalStateException.class).hasMessageContaining("increase");
    }
}
