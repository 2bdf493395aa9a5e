package io.edgefn.buffer.internal;

/**
 * One segment file of a priority band, named by the sequence number of its first record.
 *
 * <p>Threading: {@code writeSize} and {@code maxExpiresAt} are owned by the writer thread;
 * {@code durableSize} and {@code sealed} are written by the writer after an fsync and read by
 * readers, who never read past {@code durableSize}.
 */
final class Segment {
    final long baseSeq;
    final String path;
    final StorageFile file;
    final SparseIndex index = new SparseIndex();
    /** Bytes written to the file (owned by the writer). */
    long writeSize;
    /** Bytes fsynced (or known intact at open): readers stop here. */
    volatile long durableSize;
    /** The latest expiry of its records, {@link Long#MAX_VALUE} if any never expires or it is unknown. */
    volatile long maxExpiresAt;
    /** Whether the segment is closed for appends. */
    volatile boolean sealed;

    Segment(long baseSeq, String path, StorageFile file, long size, long maxExpiresAt) {
        this.baseSeq = baseSeq;
        this.path = path;
        this.file = file;
        this.writeSize = size;
        this.durableSize = size;
        this.maxExpiresAt = maxExpiresAt;
    }

    /** The file name of the segment starting at {@code baseSeq}. */
    static String fileName(long baseSeq) {
        return String.format("%020d.log", baseSeq);
    }

    /** The base sequence encoded in a segment file name, or -1 if it is not one. */
    static long parseFileName(String name) {
        if (name.length() != 24 || !name.endsWith(".log")) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
