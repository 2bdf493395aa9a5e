package io.edgefn.bindings.state;

import java.nio.file.Path;

/**
 * A state store that cannot be opened or written: its file is damaged (not merely torn by a
 * crash), not a state log, or the disk refused it. The message names the file and, for damage,
 * the offset and what to do.
 */
public final class StateStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** A failure of the store in {@code file}, described by {@code message}. */
    public StateStoreException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The store's file, or {@code null} for a store in memory. */
    public Path file() {
        return file;
    }
}
