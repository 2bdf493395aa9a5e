package io.edgefn.buffer.internal;

import java.io.IOException;
import java.util.List;

/**
 * The file system under the buffer, reduced to what the log needs, so that a test can put a
 * power-loss simulation in its place. Paths are relative to the store's directory and use
 * {@code /}; directories are one level deep ({@code "p3/00000000000000000000.log"}).
 *
 * <p>Durability model (what a simulation must honour): a file's content is durable once
 * {@link StorageFile#force()} returns; a created, renamed or deleted name is durable once
 * {@link #syncDirectory(String)} of its directory returns. Implementations are thread-safe.
 */
public interface Storage {

    /** Opens a file for reading and writing, creating it (empty) if {@code create} and it does not exist. */
    StorageFile open(String path, boolean create) throws IOException;

    /** Whether the file exists. */
    boolean exists(String path) throws IOException;

    /** The names (not paths) of the regular files in a directory, empty if it does not exist. */
    List<String> list(String directory) throws IOException;

    /** Creates a directory under the root if it does not exist. */
    void createDirectory(String directory) throws IOException;

    /** Atomically replaces {@code target} by {@code source} (a rename). */
    void rename(String source, String target) throws IOException;

    /** Deletes a file if it exists. */
    void delete(String path) throws IOException;

    /** Makes the names in a directory ({@code ""} for the root) durable. */
    void syncDirectory(String directory) throws IOException;

    /** A human-readable location of a path, for messages. */
    String describe(String path);
}
