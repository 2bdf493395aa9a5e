package io.edgefn.buffer.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The recovery point: for each priority band, how far its log is known to be fsynced — the active
 * segment, its fsynced size, and the sequence after its last fsynced record (Kafka's
 * {@code recovery-point-offset-checkpoint}). The writer rewrites it (a {@link CheckpointFile}) about
 * once a second while the log grows, and at close.
 *
 * <p>Why it exists: a torn tail can only lie past the last fsync, so recovery may cut damage at the
 * end of the newest segment only if it starts past every record known to be fsynced. The recovery
 * point says how far that is after a crash, when there is no clean-shutdown marker; a record below
 * it that is damaged is corruption, counted as lost, never cut as a torn tail. It lags the last
 * fsync by up to a second (cursor checkpoints narrow that: a record a cursor acknowledged was
 * fsynced), which is what keeps it cheap: two small fsyncs a second at most, none while idle.
 *
 * <p>Stateless.
 */
final class RecoveryPoint {
    static final String FILE = "recovery-point";
    private static final System.Logger LOG = System.getLogger(RecoveryPoint.class.getName());
    private static final int ENTRY_BYTES = 28;

    /** Where one band's fsynced records end: in segment {@code segmentBase}, at byte {@code size}, before sequence {@code nextSeq}. */
    record BandEnd(int priority, long segmentBase, long size, long nextSeq) {
    }

    private RecoveryPoint() {
    }

    /** Durably replaces the recovery point. */
    static void write(Storage storage, List<BandEnd> ends) throws IOException {
        CheckpointFile.write(storage, "", FILE, encode(ends));
    }

    /** The recovery point by priority; empty if there is none or it is damaged (logged). */
    static Map<Integer, BandEnd> read(Storage storage) {
        return read(storage, FILE, "recovery point");
    }

    /** Reads a file of band ends ({@code what} names it in the warning if it is damaged). */
    static Map<Integer, BandEnd> read(Storage storage, String file, String what) {
        try {
            byte[] content = CheckpointFile.read(storage, file);
            return content == null ? Map.of() : decode(content, storage.describe(file));
        } catch (IOException damaged) {
            LOG.log(Level.WARNING, "offline buffer: ignoring the " + what + ": " + damaged.getMessage());
            return Map.of();
        }
    }

    static byte[] encode(List<BandEnd> ends) {
        ByteBuffer buf = ByteBuffer.allocate(4 + ends.size() * ENTRY_BYTES);
        buf.putInt(ends.size());
        for (BandEnd e : ends) {
            buf.putInt(e.priority()).putLong(e.segmentBase()).putLong(e.size()).putLong(e.nextSeq());
        }
        return buf.array();
    }

    private static Map<Integer, BandEnd> decode(byte[] content, String where) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(content);
        int n = content.length >= 4 ? buf.getInt() : -1;
        if (n < 0 || n > LogStore.BANDS || buf.remaining() != n * ENTRY_BYTES) {
            throw new IOException(where + " is damaged: " + content.length + " bytes for " + n + " band(s)");
        }
        Map<Integer, BandEnd> ends = new HashMap<>();
        for (int i = 0; i < n; i++) {
            BandEnd e = new BandEnd(buf.getInt(), buf.getLong(), buf.getLong(), buf.getLong());
            if (e.priority() < 0 || e.priority() >= LogStore.BANDS || e.nextSeq() < 0) {
                throw new IOException(where + " is damaged: impossible entry " + e);
            }
            ends.put(e.priority(), e);
        }
        return ends;
    }
}
