package io.edgefn.bindings.state;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.edgefn.api.State;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;

/**
 * A {@link State} over a {@link Storage}: values encoded as JSON by Jackson, decoded values kept in
 * a bounded Caffeine cache.
 *
 * <p>Thread-safe. A read-write lock keeps the cache coherent with the storage: a write (storage,
 * then cache) holds the write lock; a cache miss reads the storage and fills the cache under the
 * read lock, so a value read before a write can never be cached after it. Writes serialise, which
 * is also what lets the log tear at most its last record. Encoding happens outside the lock, and
 * {@link #update}'s function runs outside it too, applied only when the key's version did not move.
 * Jackson's deserializers are the only code of the function that may run under the read lock.
 */
final class TypedState<T> implements State<T> {

    private final String function;
    private final String name;
    private final JavaType type;
    private final ObjectReader reader;
    private final ObjectWriter writer;
    private final Storage storage;
    private final StateLimits limits;
    private final Cache<String, T> cache;
    private final ReentrantReadWriteLock lock;

    TypedState(String function, String name, JavaType type, ObjectMapper mapper, Storage storage, StateLimits limits) {
        this(function, name, type, mapper, storage, limits, new ReentrantReadWriteLock());
    }

    private TypedState(String function, String name, JavaType type, ObjectMapper mapper, Storage storage, StateLimits limits,
                       ReentrantReadWriteLock lock) {
        this.lock = lock;
        this.function = function;
        this.name = name;
        this.type = type;
        this.reader = mapper.readerFor(type);
        this.writer = mapper.writerFor(type);
        this.storage = storage;
        this.limits = limits;
        // Maintenance on the caller's thread: no common-pool threads on a gateway for a small cache.
        this.cache = Caffeine.newBuilder().maximumSize(limits.cachedValues()).executor(Runnable::run).build();
    }

    /**
     * A view of the same store for values of {@code newType}: the same storage under the same
     * lock, with a cache of its own. For a new version of the function whose classes came from
     * another class loader (a live deployment change): both versions read and write one store while
     * the old one drains.
     */
    TypedState<?> retyped(JavaType newType, ObjectMapper mapper) {
        return new TypedState<>(function, name, newType, mapper, storage, limits, lock);
    }

    /** The element type, as Jackson sees it. */
    JavaType type() {
        return type;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<T> get(String key) {
        checkKey(key);
        T cached = cache.getIfPresent(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        lock.readLock().lock();
        try {
            byte[] bytes = storage.read(key);
            if (bytes == null) {
                return Optional.empty();
            }
            T value = decode(key, bytes);
            T raced = cache.asMap().putIfAbsent(key, value);
            return Optional.of(raced != null ? raced : value);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void put(String key, T value) {
        checkKey(key);
        Objects.requireNonNull(value, "value (to delete a key, use remove)");
        byte[] bytes = encode(key, value);
        lock.writeLock().lock();
        try {
            write(key, bytes);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Writes under the write lock: checks the store's size, writes, and drops the cached value. */
    private void write(String key, byte[] bytes) {
        long after = storage.liveBytes() - storage.entryBytes(key) + key.getBytes(StandardCharsets.UTF_8).length + bytes.length;
        if (after > limits.maxStoreBytes()) {
            throw new IllegalStateException(where() + " is full: putting key '" + key + "' (" + bytes.length
                    + " bytes) would make it " + after + " bytes, over its limit of " + limits.maxStoreBytes()
                    + "; remove keys it no longer needs");
        }
        // Dropped, not replaced: the caller keeps its instance and may change it; a later get decodes what is durable.
        cache.invalidate(key);
        storage.put(key, bytes);
    }

    @Override
    public boolean remove(String key) {
        checkKey(key);
        lock.writeLock().lock();
        try {
            cache.invalidate(key);
            return storage.remove(key);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public T update(String key, UnaryOperator<T> change) {
        checkKey(key);
        Objects.requireNonNull(change, "change");
        while (true) {
            long version;
            T current;
            lock.readLock().lock();
            try {
                version = storage.version(key);
                byte[] bytes = storage.read(key);
                current = bytes == null ? null : decode(key, bytes);
            } finally {
                lock.readLock().unlock();
            }
            T next = change.apply(current);
            byte[] bytes = next == null ? null : encode(key, next);
            lock.writeLock().lock();
            try {
                if (storage.version(key) != version) {
                    continue; // another change came in between: run the function again on it
                }
                if (bytes == null) {
                    cache.invalidate(key);
                    storage.remove(key);
                } else {
                    write(key, bytes);
                }
                return next;
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    @Override
    public Set<String> keys() {
        lock.readLock().lock();
        try {
            return storage.keys();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The encoded value of {@code key}, or {@code null}: for the test kit's view of a store. */
    byte[] raw(String key) {
        lock.readLock().lock();
        try {
            return storage.read(key);
        } finally {
            lock.readLock().unlock();
        }
    }

    void close() {
        lock.writeLock().lock();
        try {
            cache.invalidateAll();
            storage.close();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void checkKey(String key) {
        Objects.requireNonNull(key, "key");
        int length = key.getBytes(StandardCharsets.UTF_8).length;
        if (length == 0 || length > limits.maxKeyBytes()) {
            throw new IllegalArgumentException(where() + ": key '" + (length > 80 ? key.substring(0, 40) + "…" : key)
                    + "' is " + length + " bytes of UTF-8; a key is 1 to " + limits.maxKeyBytes());
        }
    }

    private byte[] encode(String key, T value) {
        byte[] bytes;
        try {
            bytes = writer.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(where() + ": cannot write the value of key '" + key + "' ("
                    + value.getClass().getName() + ") as JSON: " + e.getMessage(), e);
        }
        if (bytes.length > limits.maxValueBytes()) {
            throw new IllegalArgumentException(where() + ": the value of key '" + key + "' is " + bytes.length
                    + " bytes as JSON, over the limit of " + limits.maxValueBytes() + " bytes per value");
        }
        return bytes;
    }

    private T decode(String key, byte[] bytes) {
        try {
            return reader.readValue(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(where() + ": the stored value of key '" + key + "' cannot be read as "
                    + type.toCanonical() + " (did the type change?): " + e.getMessage(), e);
        }
    }

    private String where() {
        return "state store '" + name + "' of function '" + function + "'";
    }
}
