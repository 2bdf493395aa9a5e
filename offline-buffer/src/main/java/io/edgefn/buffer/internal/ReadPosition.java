package io.edgefn.buffer.internal;

/**
 * Where one cursor reads in one band: the next sequence it wants, its open scanner, and the read
 * buffer the next scanner reuses. Owned by that cursor (under its lock).
 */
final class ReadPosition {
    long seq;
    Segment segment;
    SegmentScanner scanner;
    /** The buffer of the last scanner dropped, for the next one (null before). */
    java.nio.ByteBuffer spare;

    ReadPosition(long seq) {
        this.seq = seq;
    }

    /** Moves to {@code seq}, dropping the scanner so the next read seeks through the index. */
    void reset(long seq) {
        this.seq = seq;
        this.segment = null;
        if (scanner != null) {
            spare = scanner.buffer();
        }
        this.scanner = null;
    }
}
