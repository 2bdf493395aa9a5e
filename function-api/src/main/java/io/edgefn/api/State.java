package io.edgefn.api;

import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A small durable key-value store of one function, holding values of type {@code T} as JSON;
 * declare it as a parameter annotated {@link StateStore}, e.g.
 * {@code @StateStore("baselines") State<Baseline> baselines}. What a function puts survives
 * restarts of the host: a stream window, a detector's learned baseline, a counter.
 *
 * <p><b>Durability.</b> {@link #put} and {@link #remove} return only after the change is on disk
 * (written and fsynced), so each costs a disk flush — milliseconds (5–7 ms measured on a loaded
 * virtual machine's disk; see docs/writing-functions.md). Do not call them for every message on a
 * hot path: keep working state in fields and put
 * a snapshot every N messages; after a power loss the function then loses at most the changes
 * since the last put. A change is durable whether or not the invocation later succeeds: state is
 * not rolled back with a failed invocation's outputs.
 *
 * <p><b>Reads</b> are served from memory (a bounded cache in front of the file). The value
 * {@link #get} returns may be the same instance another call received: treat it as read-only
 * (records are ideal) and put a new value to change it.
 *
 * <p><b>Limits.</b> A key is 1 to 256 bytes of UTF-8; a value at most 64 KB as JSON; a store at
 * most 4 MB of live keys and values. Beyond a limit {@code put} throws an
 * {@link IllegalArgumentException} (key or value) or an {@link IllegalStateException} (store full)
 * naming the store, and nothing changes.
 *
 * <p><b>Threads.</b> Thread-safe: invocations of a function with {@code maxConcurrency > 1} may
 * use one store at once; each put and remove is atomic and they apply in one order.
 * {@link #update} is atomic against other updates, puts and removes of the same key. The
 * binding stays valid after the invocation returns, for the life of the deployment.
 *
 * @param <T> the type of the values, read and written by Jackson like a message body
 */
public interface State<T> {

    /** The value of {@code key}, or empty when there is none. */
    Optional<T> get(String key);

    /**
     * Sets {@code key} to {@code value} (not {@code null}) and returns once it is durable.
     *
     * @throws IllegalArgumentException when the key or the value is beyond its limit
     * @throws IllegalStateException    when the store would exceed its size limit
     * @throws java.io.UncheckedIOException when the disk refuses the write; nothing changed
     */
    void put(String key, T value);

    /**
     * Removes {@code key} and returns once that is durable; whether it had a value.
     *
     * @throws java.io.UncheckedIOException when the disk refuses the write; nothing changed
     */
    boolean remove(String key);

    /**
     * Atomically replaces the value of {@code key} with {@code change} applied to it ({@code null}
     * when there is none); a {@code null} result removes the key. Returns the new value, or
     * {@code null}, once it is durable. {@code change} runs without a lock held and is applied
     * only if no other change of the key came in between; otherwise it runs again on the newer
     * value, so it must be free of side effects.
     *
     * @throws IllegalArgumentException when the key or the new value is beyond its limit
     * @throws IllegalStateException    when the store would exceed its size limit
     */
    T update(String key, UnaryOperator<T> change);

    /** The keys now, as an unmodifiable snapshot. */
    Set<String> keys();

    /** The store's name, as {@link StateStore} gives it. */
    String name();
}
