package io.edgefn.buffer;

import io.edgefn.buffer.internal.Storage;
import io.edgefn.buffer.internal.StorageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An in-memory {@link Storage} that models what a power cut keeps: a file's bytes survive only up
 * to its last {@code force}, a created, renamed or deleted name only up to the last
 * {@code syncDirectory} of its directory. {@link #powerCut} freezes that durable image (every later
 * call of the old instance fails, as the machine is off) and can keep a torn prefix of the last
 * unforced write, or a random subset of the unforced writes, each possibly torn, as disks may.
 * Thread-safe (one lock).
 */
final class PowerLossStorage implements Storage {
    /** What survives of the writes not yet forced. */
    enum Cut {
        /** Nothing. */
        DROP_UNFORCED,
        /** A random prefix of the last unforced write of each file. */
        TEAR_LAST,
        /** Each unforced write independently: dropped, kept, or torn. */
        RANDOM_SUBSET
    }

    private static final class Inode {
        byte[] data = new byte[0];
        byte[] durable = new byte[0];
        final List<long[]> pendingRanges = new ArrayList<>();
        final List<byte[]> pendingBytes = new ArrayList<>();
    }

    private final Random random;
    private final Map<String, Inode> names = new HashMap<>();
    private final Map<String, Inode> durableNames = new HashMap<>();
    private boolean off;
    private boolean failForces;
    private volatile java.util.concurrent.CountDownLatch forceGate;

    PowerLossStorage(Random random) {
        this.random = random;
    }

    private PowerLossStorage(Random random, Map<String, Inode> image) {
        this.random = random;
        names.putAll(image);
        durableNames.putAll(image);
    }

    private void checkOn() throws IOException {
        if (off) {
            throw new IOException("simulated power loss: the machine is off");
        }
    }

    private static String dirOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /**
     * Cuts the power: this instance fails from now on; returns the storage as it is after the reboot,
     * holding only what was durable (plus what the cut mode lets through).
     */
    synchronized PowerLossStorage powerCut(Cut cut) {
        off = true;
        Map<String, Inode> image = new HashMap<>();
        Map<Inode, Inode> copies = new HashMap<>();
        for (Map.Entry<String, Inode> e : durableNames.entrySet()) {
            Inode old = e.getValue();
            Inode copy = copies.computeIfAbsent(old, o -> survivor(o, cut));
            image.put(e.getKey(), copy);
        }
        return new PowerLossStorage(new Random(random.nextLong()), image);
    }

    private Inode survivor(Inode old, Cut cut) {
        byte[] content = old.durable.clone();
        int n = old.pendingRanges.size();
        for (int i = 0; i < n; i++) {
            long[] range = old.pendingRanges.get(i);
            byte[] bytes = old.pendingBytes.get(i);
            boolean last = i == n - 1;
            int keep = switch (cut) {
                case DROP_UNFORCED -> 0;
                case TEAR_LAST -> last && bytes != null ? random.nextInt(bytes.length + 1) : 0;
                case RANDOM_SUBSET -> bytes == null ? 0 : switch (random.nextInt(3)) {
                    case 0 -> 0;
                    case 1 -> bytes.length;
                    default -> random.nextInt(bytes.length + 1);
                };
            };
            if (bytes == null) {
                if (cut == Cut.RANDOM_SUBSET && random.nextBoolean()) {
                    content = Arrays.copyOf(content, (int) range[0]);
                }
                continue;
            }
            if (keep > 0) {
                int pos = (int) range[0];
                if (content.length < pos + keep) {
                    content = Arrays.copyOf(content, pos + keep);
                }
                System.arraycopy(bytes, 0, content, pos, keep);
            }
        }
        Inode copy = new Inode();
        copy.data = content;
        copy.durable = content.clone();
        return copy;
    }

    /** From now on every fsync fails with an I/O error (as a dying disk's would), writes still succeed. */
    synchronized void failForces() {
        failForces = true;
    }

    /** Makes every fsync wait until {@code gate} opens (to hold the writer at a known point). */
    void holdForces(java.util.concurrent.CountDownLatch gate) {
        forceGate = gate;
    }

    /** The bytes of a file as it is now (for tests that damage it). */
    synchronized byte[] contentOf(String path) {
        return names.get(path).data.clone();
    }

    /** Overwrites every byte of a file with zeros, durably, keeping its length (a disk that lost the blocks). */
    synchronized void zero(String path) {
        Inode inode = names.get(path);
        inode.data = new byte[inode.data.length];
        inode.durable = inode.data.clone();
        inode.pendingRanges.clear();
        inode.pendingBytes.clear();
    }

    /** All file paths. */
    synchronized List<String> paths() {
        return new ArrayList<>(names.keySet());
    }

    @Override
    public synchronized StorageFile open(String path, boolean create) throws IOException {
        checkOn();
        Inode inode = names.get(path);
        if (inode == null) {
            if (!create) {
                throw new NoSuchFileException(path);
            }
            inode = new Inode();
            names.put(path, inode);
        }
        return new SimFile(inode);
    }

    @Override
    public synchronized boolean exists(String path) throws IOException {
        checkOn();
        return names.containsKey(path);
    }

    @Override
    public synchronized List<String> list(String directory) throws IOException {
        checkOn();
        List<String> out = new ArrayList<>();
        for (String p : names.keySet()) {
            if (dirOf(p).equals(directory)) {
                out.add(p.substring(p.lastIndexOf('/') + 1));
            }
        }
        return out;
    }

    @Override
    public synchronized void createDirectory(String directory) throws IOException {
        checkOn();
    }

    @Override
    public synchronized void rename(String source, String target) throws IOException {
        checkOn();
        Inode inode = names.remove(source);
        if (inode == null) {
            throw new NoSuchFileException(source);
        }
        names.put(target, inode);
    }

    @Override
    public synchronized void delete(String path) throws IOException {
        checkOn();
        names.remove(path);
    }

    @Override
    public synchronized void syncDirectory(String directory) throws IOException {
        checkOn();
        durableNames.keySet().removeIf(p -> dirOf(p).equals(directory));
        names.forEach((p, inode) -> {
            if (dirOf(p).equals(directory)) {
                durableNames.put(p, inode);
            }
        });
    }

    @Override
    public String describe(String path) {
        return "sim:" + path;
    }

    private final class SimFile implements StorageFile {
        private final Inode inode;

        SimFile(Inode inode) {
            this.inode = inode;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            synchronized (PowerLossStorage.this) {
                checkOn();
                if (position >= inode.data.length) {
                    return -1;
                }
                int n = (int) Math.min(dst.remaining(), inode.data.length - position);
                dst.put(inode.data, (int) position, n);
                return n;
            }
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            synchronized (PowerLossStorage.this) {
                checkOn();
                byte[] bytes = new byte[src.remaining()];
                src.get(bytes);
                int end = (int) position + bytes.length;
                if (inode.data.length < end) {
                    inode.data = Arrays.copyOf(inode.data, end);
                }
                System.arraycopy(bytes, 0, inode.data, (int) position, bytes.length);
                inode.pendingRanges.add(new long[] {position});
                inode.pendingBytes.add(bytes);
            }
        }

        @Override
        public void force() throws IOException {
            java.util.concurrent.CountDownLatch gate = forceGate;
            if (gate != null) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while held before fsync");
                }
            }
            synchronized (PowerLossStorage.this) {
                checkOn();
                if (failForces) {
                    throw new IOException("simulated EIO on fsync");
                }
                inode.durable = inode.data.clone();
                inode.pendingRanges.clear();
                inode.pendingBytes.clear();
            }
        }

        @Override
        public long size() throws IOException {
            synchronized (PowerLossStorage.this) {
                checkOn();
                return inode.data.length;
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            synchronized (PowerLossStorage.this) {
                checkOn();
                if (size < inode.data.length) {
                    inode.data = Arrays.copyOf(inode.data, (int) size);
                    inode.pendingRanges.add(new long[] {size});
                    inode.pendingBytes.add(null);
                }
            }
        }

        @Override
        public void close() {
        }
    }
}
