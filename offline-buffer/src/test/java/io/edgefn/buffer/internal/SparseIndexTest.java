package io.edgefn.buffer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SparseIndexTest {
    @Test
    void maybeAdd_keepsOneEntryPerIntervalOfBytes() {
        SparseIndex index = new SparseIndex();
        for (int seq = 0; seq < 100_000; seq++) {
            index.maybeAdd(seq, seq * 293L);
        }
        long bytes = 100_000 * 293L;
        // An entry at the first record at least INTERVAL bytes past the last one: 8 bytes per ~4 KiB of log.
        assertThat(index.size()).isBetween((int) (bytes / (SparseIndex.INTERVAL + 293)), (int) (bytes / SparseIndex.INTERVAL) + 1);
    }

    @Test
    void floorPosition_givesTheLastIndexedRecordAtOrBeforeTheSequence() {
        SparseIndex index = new SparseIndex();
        index.maybeAdd(0, 0);
        index.maybeAdd(10, 5000);
        index.maybeAdd(20, 10000);
        assertThat(index.floorPosition(0)).isZero();
        assertThat(index.floorPosition(9)).isZero();
        assertThat(index.floorPosition(10)).isEqualTo(5000);
        assertThat(index.floorPosition(19)).isEqualTo(5000);
        assertThat(index.floorPosition(1_000)).isEqualTo(10000);
    }

    @Test
    void truncate_forgetsEntriesAtOrBeyondThePosition() {
        SparseIndex index = new SparseIndex();
        index.maybeAdd(0, 0);
        index.maybeAdd(10, 5000);
        index.maybeAdd(20, 10000);
        index.truncate(5000);
        assertThat(index.floorPosition(25)).isZero();
        index.maybeAdd(12, 6000);
        assertThat(index.floorPosition(25)).isEqualTo(6000);
    }
}
