package io.edgefn.buffer.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The clean-shutdown marker: written last by a clean close, it records where each band's active
 * segment ends, all of it fsynced, in the {@link RecoveryPoint}'s format. Open reads it as the exact
 * end of the fsynced records (damage anywhere before it is corruption, never a torn tail) and
 * removes it (durably) before anything is appended, so a crash after an open is never taken for a
 * clean shutdown. Stateless.
 */
final class CleanShutdownMarker {
    static final String FILE = "clean-shutdown";

    private CleanShutdownMarker() {
    }

    /** Writes the marker. */
    static void write(Storage storage, List<RecoveryPoint.BandEnd> ends) throws IOException {
        CheckpointFile.write(storage, "", FILE, RecoveryPoint.encode(ends));
    }

    /** The band ends by priority; empty if there is no marker or it is damaged (logged). Changes nothing. */
    static Map<Integer, RecoveryPoint.BandEnd> read(Storage storage) {
        return RecoveryPoint.read(storage, FILE, "clean-shutdown marker, recovering fully");
    }

    /** Durably removes the marker. */
    static void remove(Storage storage) throws IOException {
        if (storage.exists(FILE)) {
            storage.delete(FILE);
            storage.syncDirectory("");
        }
    }
}
