package io.edgefn.buffer.internal;

/** Where one cursor reads in one band: the next sequence it wants and its open scanner. Owned by that cursor (under its lock). */
final class ReadPosition {
    long seq;
    Segment segment;
    SegmentScanner scanner;

    ReadPosition(long seq) {
        this.seq = seq;
    }

    /** Moves to {@code seq}, dropping the scanner so the next read seeks through the index. */
    void reset(long seq) {
        this.seq = seq;
        this.segment = null;
        this.scanner = null;
    }
}
