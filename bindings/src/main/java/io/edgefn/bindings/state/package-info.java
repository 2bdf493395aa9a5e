/**
 * The {@code State<T>} binding: a small durable key-value store per function.
 *
 * <p>{@link io.edgefn.bindings.state.StateStores} is the entry type: the stores of one function,
 * durable (one append-only, CRC-checked, fsynced log file per store, see {@code LogStorage}) or in
 * memory (the test kit, embedders without a data directory). Each store is a {@code TypedState}:
 * values as JSON through Jackson, decoded values in a bounded Caffeine cache kept coherent with the
 * file by a read-write lock. {@link io.edgefn.bindings.state.StateLimits} bounds keys, values and
 * stores; {@link io.edgefn.bindings.state.StateStoreException} reports a store that cannot be opened.
 */
package io.edgefn.bindings.state;
