package io.edgefn.buffer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GroupSizerTest {
    @Test
    void waitNanos_beforeAnyGroup_doesNotWait() {
        GroupSizer sizer = new GroupSizer();

        assertThat(sizer.waitNanos(1, 0)).isZero();
    }

    @Test
    void waitNanos_loneProducer_neverWaits() {
        GroupSizer sizer = new GroupSizer();
        for (int i = 0; i < 20; i++) {
            sizer.committed(1, 4_000_000);
        }

        // A group as large as the recent ones is everything in flight: fsync it now.
        assertThat(sizer.waitNanos(1, 0)).isZero();
    }

    @Test
    void waitNanos_groupSmallerThanRecentOnes_waitsAtMostTheGapForTheNextAppend() {
        GroupSizer sizer = new GroupSizer();
        sizer.committed(512, 4_000_000);

        assertThat(sizer.waitNanos(300, 0)).isEqualTo(GroupSizer.GAP_NANOS);
        assertThat(sizer.waitNanos(512, 0)).isZero();
        assertThat(sizer.waitNanos(600, 0)).isZero();
    }

    @Test
    void waitNanos_gathersForAtMostHalfTheRecentFsyncTime() {
        GroupSizer sizer = new GroupSizer();
        sizer.committed(512, 400_000);

        assertThat(sizer.gatherNanos()).isEqualTo(200_000);
        assertThat(sizer.waitNanos(100, 150_000)).isEqualTo(50_000);
        assertThat(sizer.waitNanos(100, 200_000)).isZero();
    }

    @Test
    void gatherNanos_slowDisk_isCapped() {
        GroupSizer sizer = new GroupSizer();
        sizer.committed(512, 1_000_000_000L);

        assertThat(sizer.gatherNanos()).isEqualTo(GroupSizer.MAX_GATHER_NANOS);
    }

    @Test
    void target_forgetsGroupsOlderThanTheRecentOnes() {
        GroupSizer sizer = new GroupSizer();
        sizer.committed(512, 400_000);
        for (int i = 0; i < GroupSizer.RECENT - 1; i++) {
            sizer.committed(8, 400_000);
        }
        assertThat(sizer.target()).isEqualTo(512);

        sizer.committed(8, 400_000);

        // The load dropped: a group of 8 is everything in flight again.
        assertThat(sizer.target()).isEqualTo(8);
    }

    @Test
    void committed_averagesTheFsyncTime() {
        GroupSizer sizer = new GroupSizer();
        sizer.committed(10, 800_000);
        sizer.committed(10, 0);

        assertThat(sizer.gatherNanos()).isEqualTo(700_000 / 2);
    }
}
