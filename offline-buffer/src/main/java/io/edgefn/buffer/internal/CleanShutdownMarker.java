package io.edgefn.buffer.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The clean-shutdown marker: written last by a clean close, it records where each band's active
 * segment ends so that the next open can skip scanning it. Removed (durably) by open before anything
 * is written, so a crash after an open always leads to a full recovery. Stateless.
 */
final class CleanShutdownMarker {
    static final String FILE = "clean-shutdown";
    private static final System.Logger LOG = System.getLogger(CleanShutdownMarker.class.getName());

    /** Where one band ended at the clean shutdown. */
    record BandEnd(int priority, long segmentBase, long size, long nextSeq) {
    }

    private CleanShutdownMarker() {
    }

    /** Writes the marker. */
    static void write(Storage storage, List<BandEnd> ends) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4 + ends.size() * 28);
        buf.putInt(ends.size());
        for (BandEnd e : ends) {
            buf.putInt(e.priority()).putLong(e.segmentBase()).putLong(e.size()).putLong(e.nextSeq());
        }
        CheckpointFile.write(storage, "", FILE, buf.array());
    }

    /** Reads and durably removes the marker; the band ends by priority, empty if there was none or it is damaged. */
    static Map<Integer, BandEnd> consume(Storage storage) throws IOException {
        Map<Integer, BandEnd> ends = new HashMap<>();
        byte[] content;
        try {
            content = CheckpointFile.read(storage, FILE);
        } catch (IOException damaged) {
            LOG.log(Level.WARNING, "offline buffer: ignoring the clean-shutdown marker, recovering fully: " + damaged.getMessage());
            content = null;
        }
        if (content != null) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            int n = buf.getInt();
            for (int i = 0; i < n && buf.remaining() >= 28; i++) {
                BandEnd e = new BandEnd(buf.getInt(), buf.getLong(), buf.getLong(), buf.getLong());
                ends.put(e.priority(), e);
            }
        }
        if (storage.exists(FILE)) {
            storage.delete(FILE);
            storage.syncDirectory("");
        }
        return ends;
    }
}
