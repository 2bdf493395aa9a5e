package io.edgefn.devices;

import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of a driver's counters since it was created.
 *
 * @param framesIn        valid frames received
 * @param framesOut       frames written, retries included
 * @param badFrames       frames dropped, by reason (for the Sphere link: {@code cobs}, {@code crc},
 *                        {@code version}, {@code length}, {@code unknown-type}, {@code unexpected},
 *                        {@code payload}); reasons never seen are absent
 * @param retries         commands resent for want of an ACK
 * @param reconnects      times the port was reopened after it failed or went silent
 * @param duplicateEvents events received again and acknowledged without being delivered again
 */
public record DriverStats(long framesIn, long framesOut, Map<String, Long> badFrames, long retries,
                          long reconnects, long duplicateEvents) {

    /** Copies the reasons into a read-only map sorted by reason. */
    public DriverStats {
        badFrames = java.util.Collections.unmodifiableMap(new TreeMap<>(badFrames));
    }

    /** Frames dropped for {@code reason}, zero if none. */
    public long badFrames(String reason) {
        return badFrames.getOrDefault(reason, 0L);
    }

    /** Frames dropped for any reason. */
    public long badFramesTotal() {
        return badFrames.values().stream().mapToLong(Long::longValue).sum();
    }
}
