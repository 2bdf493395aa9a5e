package io.edgefn.bindings.state;

import java.util.Set;

/**
 * Where one store keeps its keys and encoded values: a durable log ({@link LogStorage}) or memory
 * ({@link MemoryStorage}).
 *
 * <p>Not thread-safe on its own: {@link TypedState} calls the reads under its read lock and the
 * writes under its write lock, so reads may run together but never beside a write.
 */
interface Storage extends AutoCloseable {

    /** The encoded value of {@code key}, or {@code null}. */
    byte[] read(String key);

    /** A number that changes whenever {@code key} is written or removed; 0 when it never was. */
    long version(String key);

    /** Writes {@code value} for {@code key}; durable when this returns, for a durable storage. */
    void put(String key, byte[] value);

    /** Removes {@code key}; whether it had a value. Durable when this returns, for a durable storage. */
    boolean remove(String key);

    /** The keys, as a snapshot. */
    Set<String> keys();

    /** The bytes of the live keys (UTF-8) and values: what the store's size limit counts. */
    long liveBytes();

    /** The encoded size of {@code key}'s entry now, 0 when it has none. */
    long entryBytes(String key);

    @Override
    void close();
}
