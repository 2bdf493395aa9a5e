package io.edgefn.devices;

import io.edgefn.devices.internal.JSerialCommTransport;
import java.io.IOException;

/**
 * Opens a {@link ByteTransport} on a port. A driver calls it again every time it reopens the
 * port, so a factory must hand out a fresh transport per call.
 *
 * <p>Implementations are safe to call from any thread.
 */
@FunctionalInterface
public interface TransportFactory {

    /**
     * Opens {@code port} at {@code baud}.
     *
     * @throws IOException when the port does not exist or cannot be opened; the message names it
     */
    ByteTransport open(String port, int baud) throws IOException;

    /**
     * Serial ports through jSerialComm, opened by path ({@code /dev/ttyUSB0}, a pty path or a
     * symlink to one), 8N1, no flow control.
     */
    static TransportFactory serial() {
        return JSerialCommTransport::open;
    }
}
