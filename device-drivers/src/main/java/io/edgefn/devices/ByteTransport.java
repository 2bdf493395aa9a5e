package io.edgefn.devices;

import java.io.Closeable;
import java.io.IOException;

/**
 * An open byte channel to a device: a serial port or one end of an in-memory pipe.
 *
 * <p>One thread reads; any thread may write; {@link #close()} may be called from any thread and
 * wakes a blocked reader.
 */
public interface ByteTransport extends Closeable {

    /**
     * Reads at least one byte into {@code buf}, blocking until some arrive.
     *
     * @return the number of bytes read, or {@code -1} once the transport is closed (by either end)
     * @throws IOException when the port failed (e.g. the USB device vanished)
     */
    int read(byte[] buf) throws IOException;

    /**
     * Writes {@code bytes} whole; concurrent writes never interleave.
     *
     * @throws IOException when the transport is closed or the port failed
     */
    void write(byte[] bytes) throws IOException;

    /** A short description for logs, such as the port path. */
    default String describe() {
        return toString();
    }
}
