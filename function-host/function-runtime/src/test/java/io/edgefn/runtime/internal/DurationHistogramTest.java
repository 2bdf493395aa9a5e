package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.runtime.DurationStats;
import org.junit.jupiter.api.Test;

class DurationHistogramTest {

    @Test
    void snapshot_empty_isAllZero() {
        DurationStats s = new DurationHistogram().snapshot();

        assertThat(s.count()).isZero();
        assertThat(s.p99Millis()).isZero();
        assertThat(s.buckets()).hasSize(16).containsEntry("+Inf", 0L).containsEntry("0.1", 0L);
    }

    @Test
    void snapshot_percentileInTheMaxsBucket_isTheMax() {
        DurationHistogram h = new DurationHistogram();
        h.record(40_000);
        h.record(60_000);

        assertThat(h.snapshot().p50Millis()).isEqualTo(0.06);
        assertThat(h.snapshot().maxMillis()).isEqualTo(0.06);
    }

    @Test
    void snapshot_percentilesAreTheirBucketsUpperBounds_neverAboveTheMax() {
        DurationHistogram h = new DurationHistogram();
        for (int i = 0; i < 90; i++) {
            h.record(40_000); // 0.04 ms
        }
        for (int i = 0; i < 9; i++) {
            h.record(3_000_000); // 3 ms
        }
        h.record(12_000_000_000L); // 12 s, above the last bound

        DurationStats s = h.snapshot();

        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p50Millis()).isEqualTo(0.1);
        assertThat(s.buckets()).containsEntry("0.1", 90L).containsEntry("5", 9L).containsEntry("+Inf", 1L);
        assertThat(s.p90Millis()).isEqualTo(0.1);
        assertThat(s.p99Millis()).isEqualTo(5.0);
        assertThat(s.maxMillis()).isEqualTo(12_000.0);
    }
}
