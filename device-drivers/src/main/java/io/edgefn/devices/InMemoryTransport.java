package io.edgefn.devices;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One end of an in-memory byte pipe, standing in for a serial line in tests and in the demo when
 * no pseudo-terminal is available. Create both ends with {@link #pair(String)}.
 *
 * <p>What one end writes the other reads, in order, without loss. Closing either end closes the
 * line: the other end reads what was already written, then {@code -1}; writes fail at once.
 * Thread-safe: one reader, any number of writers, close from any thread.
 */
public final class InMemoryTransport implements ByteTransport {

    /**
     * Both ends of an in-memory line.
     *
     * @param gatewayEnd the end a driver opens
     * @param deviceEnd  the end a simulated device talks on
     */
    public record Pair(InMemoryTransport gatewayEnd, InMemoryTransport deviceEnd) {
    }

    private final String name;
    private final Pipe in;
    private final Pipe out;

    private InMemoryTransport(String name, Pipe in, Pipe out) {
        this.name = name;
        this.in = in;
        this.out = out;
    }

    /** A new line named {@code name} (for logs). */
    public static Pair pair(String name) {
        Pipe toDevice = new Pipe();
        Pipe toGateway = new Pipe();
        return new Pair(new InMemoryTransport(name + "/gateway", toGateway, toDevice),
                new InMemoryTransport(name + "/device", toDevice, toGateway));
    }

    /**
     * A factory that makes a fresh line on every open, hands its device end to {@code onDeviceEnd}
     * (e.g. to start a {@code PumpSimulator} on it) and returns the gateway end; a driver that
     * reopens its port gets a new line and a new device behind it.
     */
    public static TransportFactory factory(Consumer<InMemoryTransport> onDeviceEnd) {
        Objects.requireNonNull(onDeviceEnd, "onDeviceEnd");
        return (port, baud) -> {
            Pair pair = pair(port);
            onDeviceEnd.accept(pair.deviceEnd());
            return pair.gatewayEnd();
        };
    }

    @Override
    public int read(byte[] buf) {
        return in.read(buf);
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        out.write(bytes, name);
    }

    /** Whether this line has been closed by either end. */
    public boolean isClosed() {
        return out.isClosed();
    }

    @Override
    public void close() {
        in.close();
        out.close();
    }

    @Override
    public String describe() {
        return "in-memory:" + name;
    }

    @Override
    public String toString() {
        return describe();
    }

    /** One direction of the line: a queue of written chunks guarded by a lock. */
    private static final class Pipe {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition readable = lock.newCondition();
        private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
        private int headOffset;
        private boolean closed;

        void write(byte[] bytes, String name) throws IOException {
            byte[] copy = bytes.clone();
            lock.lock();
            try {
                if (closed) {
                    throw new IOException("in-memory line " + name + " is closed");
                }
                if (copy.length > 0) {
                    chunks.addLast(copy);
                    readable.signal();
                }
            } finally {
                lock.unlock();
            }
        }

        int read(byte[] buf) {
            lock.lock();
            try {
                while (chunks.isEmpty()) {
                    if (closed) {
                        return -1;
                    }
                    readable.awaitUninterruptibly();
                }
                int n = 0;
                while (n < buf.length && !chunks.isEmpty()) {
                    byte[] head = chunks.peekFirst();
                    int take = Math.min(buf.length - n, head.length - headOffset);
                    System.arraycopy(head, headOffset, buf, n, take);
                    n += take;
                    headOffset += take;
                    if (headOffset == head.length) {
                        chunks.removeFirst();
                        headOffset = 0;
                    }
                }
                return n;
            } finally {
                lock.unlock();
            }
        }

        boolean isClosed() {
            lock.lock();
            try {
                return closed;
            } finally {
                lock.unlock();
            }
        }

        void close() {
            lock.lock();
            try {
                closed = true;
                readable.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
