package io.edgefn.buffer.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** One open file of a {@link Storage}: positional reads and writes, force, truncate. Thread-safe. */
public interface StorageFile extends Closeable {

    /** Reads into {@code dst} from {@code position}; returns the bytes read, -1 at end of file. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes all of {@code src} at {@code position}. */
    void write(ByteBuffer src, long position) throws IOException;

    /** Makes everything written so far durable (fsync). */
    void force() throws IOException;

    /** The file's current size. */
    long size() throws IOException;

    /** Cuts the file to {@code size} bytes. */
    void truncate(long size) throws IOException;
}
