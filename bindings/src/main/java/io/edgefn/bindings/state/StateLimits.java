package io.edgefn.bindings.state;

/**
 * The limits of every store of a host, and how many decoded values each keeps cached. Immutable.
 *
 * @param maxKeyBytes   the longest key, in UTF-8 bytes (at most 65,535: the log writes it in two bytes)
 * @param maxValueBytes the largest value, as JSON bytes
 * @param maxStoreBytes the most live keys and values one store holds, in bytes
 * @param cachedValues  how many decoded values one store's cache holds
 */
public record StateLimits(int maxKeyBytes, int maxValueBytes, long maxStoreBytes, int cachedValues) {

    /** The documented defaults: 256-byte keys, 64 KB values, 4 MB stores, 1,000 cached values. */
    public static final StateLimits DEFAULTS = new StateLimits(256, 64 * 1024, 4L * 1024 * 1024, 1_000);

    /** Checks every limit at once, naming each bad one. */
    public StateLimits {
        StringBuilder bad = new StringBuilder();
        if (maxKeyBytes < 1 || maxKeyBytes > 65_535) {
            bad.append(" maxKeyBytes must be 1 to 65535, was ").append(maxKeyBytes).append(';');
        }
        if (maxValueBytes < 1) {
            bad.append(" maxValueBytes must be positive, was ").append(maxValueBytes).append(';');
        }
        if (maxStoreBytes < 1) {
            bad.append(" maxStoreBytes must be positive, was ").append(maxStoreBytes).append(';');
        }
        if (cachedValues < 0) {
            bad.append(" cachedValues must be 0 or more, was ").append(cachedValues).append(';');
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("invalid state limits:" + bad.substring(0, bad.length() - 1));
        }
    }

    /** The largest record payload a log of these limits can hold: what recovery accepts as a length. */
    int maxRecordBytes() {
        return 3 + maxKeyBytes + maxValueBytes;
    }
}
