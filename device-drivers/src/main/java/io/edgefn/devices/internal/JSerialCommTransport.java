package io.edgefn.devices.internal;

import com.fazecast.jSerialComm.SerialPort;
import io.edgefn.devices.ByteTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A serial port opened through jSerialComm: 8N1, no flow control, semi-blocking reads with no
 * timeout (a read returns as soon as a byte arrives, with no polling delay).
 *
 * <p>One thread reads; writes are serialised on this object; {@link #close()} may come from any
 * thread. Internal: obtain one through {@link io.edgefn.devices.TransportFactory#serial()}.
 */
public final class JSerialCommTransport implements ByteTransport {

    private final SerialPort port;
    private final String path;
    private final Object writeLock = new Object();
    private volatile boolean closed;

    private JSerialCommTransport(SerialPort port, String path) {
        this.port = port;
        this.path = path;
    }

    /**
     * Opens {@code path} at {@code baud}.
     *
     * @throws IOException when the port does not exist or refuses to open; the message names it
     */
    public static JSerialCommTransport open(String path, int baud) throws IOException {
        if (!Files.exists(Path.of(path))) {
            throw new IOException("serial port " + path + " does not exist");
        }
        SerialPort port;
        try {
            port = SerialPort.getCommPort(path);
        } catch (RuntimeException e) {
            throw new IOException("serial port " + path + " cannot be found: " + e.getMessage(), e);
        }
        port.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING, 0, 0);
        if (!port.openPort()) {
            throw new IOException("serial port " + path + " cannot be opened (error code "
                    + port.getLastErrorCode() + " at line " + port.getLastErrorLocation() + ")");
        }
        return new JSerialCommTransport(port, path);
    }

    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int EIO = 5;

    @Override
    public int read(byte[] buf) throws IOException {
        int transientFailures = 0;
        while (true) {
            if (closed) {
                return -1;
            }
            int n = port.readBytes(buf, buf.length);
            if (n > 0) {
                return n;
            }
            if (closed) {
                return -1;
            }
            // A signal delivered to the process (SIGTERM, for one) can end a blocking read with
            // EINTR or EAGAIN: read again rather than declare the port failed, a bounded number
            // of times in a row so a port that only ever answers that way still fails.
            int error = port.getLastErrorCode();
            if (n < 0 && (error == EINTR || error == EAGAIN) && ++transientFailures <= 100
                    && port.isOpen() && Files.exists(Path.of(path))) {
                continue;
            }
            if (n < 0 && error == EIO) {
                // The other end hung up (a pty whose peer, socat or a simulator, was stopped):
                // the line was closed by that end, which is not a failure to read from it.
                return -1;
            }
            if (n < 0 || !port.isOpen() || !Files.exists(Path.of(path))) {
                throw new IOException("serial port " + path + " failed while reading (error code "
                        + port.getLastErrorCode() + ")");
            }
        }
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        synchronized (writeLock) {
            if (closed) {
                throw new IOException("serial port " + path + " is closed");
            }
            int off = 0;
            while (off < bytes.length) {
                int n = port.writeBytes(bytes, bytes.length - off, off);
                if (n <= 0) {
                    throw new IOException("serial port " + path + " failed while writing (error code "
                            + port.getLastErrorCode() + ")");
                }
                off += n;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        port.closePort();
    }

    @Override
    public String describe() {
        return path;
    }

    @Override
    public String toString() {
        return "serial:" + path;
    }
}
