package io.edgefn.buffer;

import java.io.IOException;

/**
 * The failure of an append or of the store because the file system refused a write or an fsync
 * (a full disk, {@code ENOSPC}, an I/O error). Records acknowledged before it are still on disk.
 */
public final class BufferIOException extends BufferException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception, naming what was being done and where. */
    public BufferIOException(String message, IOException cause) {
        super(message + ": " + cause, cause);
    }
}
