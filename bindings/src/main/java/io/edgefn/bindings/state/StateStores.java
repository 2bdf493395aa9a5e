package io.edgefn.bindings.state;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.api.State;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The {@link State} stores of one function: the entry type of the state binding. Durable stores
 * live in a directory of their own, one log file per store ({@code <dir>/<store>.log}, see
 * {@link LogStorage}); stores in memory are for the test kit and for embedders without a data
 * directory, and say so in their {@link #toString()}.
 *
 * <p>A store is opened once, on its first {@link #open}, and shared by every method that names it.
 * Thread-safe; the stores it opens are too.
 */
public final class StateStores implements AutoCloseable {

    private final String function;
    private final Path directory;
    private final ObjectMapper mapper;
    private final StateLimits limits;
    private final Map<String, TypedState<?>> open = new LinkedHashMap<>();
    private boolean closed;

    private StateStores(String function, Path directory, ObjectMapper mapper, StateLimits limits) {
        this.function = Objects.requireNonNull(function, "function");
        this.directory = directory;
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Durable stores of {@code function} in {@code directory} (made when the first store opens),
     * values written by {@code mapper}.
     */
    public static StateStores durable(String function, Path directory, ObjectMapper mapper, StateLimits limits) {
        return new StateStores(function, Objects.requireNonNull(directory, "directory"), mapper, limits);
    }

    /** Stores of {@code function} in memory: they hold nothing once the process ends. */
    public static StateStores inMemory(String function, ObjectMapper mapper, StateLimits limits) {
        return new StateStores(function, null, mapper, limits);
    }

    /** Whether the stores survive the process. */
    public boolean durable() {
        return directory != null;
    }

    /**
     * The store {@code store} for values of {@code elementType}, opening (and recovering) it on
     * the first call.
     *
     * @throws IllegalArgumentException when the store was opened with another element type
     * @throws StateStoreException      when its file is damaged or cannot be opened
     * @throws IllegalStateException    after {@link #close()}
     */
    @SuppressWarnings("unchecked")
    public synchronized <T> State<T> open(String store, Type elementType) {
        if (closed) {
            throw new IllegalStateException("the state stores of function '" + function + "' are closed");
        }
        JavaType type = mapper.getTypeFactory().constructType(elementType);
        TypedState<?> existing = open.get(store);
        if (existing != null) {
            if (!existing.type().equals(type) && existing.type().toCanonical().equals(type.toCanonical())) {
                // The same classes from another class loader: a new version of the function,
                // started live beside the old one. It gets a view of the same store.
                TypedState<?> view = existing.retyped(type, mapper);
                open.put(store, view);
                return (State<T>) view;
            }
            if (!existing.type().equals(type)) {
                throw new IllegalArgumentException("state store '" + store + "' of function '" + function + "' holds "
                        + existing.type().toCanonical() + ", not " + type.toCanonical() + ": a store holds one type of value");
            }
            return (State<T>) existing;
        }
        Storage storage = directory == null ? new MemoryStorage()
                : LogStorage.open(directory.resolve(store + ".log"), limits.maxRecordBytes());
        TypedState<T> state = new TypedState<>(function, store, type, mapper, storage, limits);
        open.put(store, state);
        return state;
    }

    /**
     * What the store {@code store} holds now, key by key as JSON (sorted by key); empty when it was
     * never opened. For tests and diagnostics.
     */
    public synchronized Map<String, JsonNode> contents(String store) {
        TypedState<?> state = open.get(store);
        Map<String, JsonNode> contents = new TreeMap<>();
        if (state != null) {
            for (String key : state.keys()) {
                byte[] raw = state.raw(key);
                if (raw != null) {
                    try {
                        contents.put(key, mapper.readTree(raw));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return contents;
    }

    /** Closes every store opened; a later {@link #open} fails. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        open.values().forEach(TypedState::close);
        open.clear();
    }

    @Override
    public String toString() {
        return "state stores of function '" + function + "' "
                + (directory == null ? "in memory (lost when the process ends)" : "in " + directory);
    }
}
