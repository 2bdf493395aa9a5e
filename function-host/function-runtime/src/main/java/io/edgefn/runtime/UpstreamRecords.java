package io.edgefn.runtime;

import io.edgefn.api.Message;
import io.edgefn.runtime.internal.RunningHost;

/**
 * How the host keeps messages bound for {@code $upstream} in its offline buffer
 * ({@link EdgeHost#buffer()}): the cursor an upstream link drains, and the record format — for
 * the upstream link, tools that inspect a gateway's buffer, and tests.
 */
public final class UpstreamRecords {

    /** The buffer cursor of the upstream link. */
    public static final String CURSOR = "$upstream";

    private UpstreamRecords() {
    }

    /**
     * The message stored in a buffer record's payload.
     *
     * @throws IllegalArgumentException if the bytes are not a record the host wrote
     */
    public static Message decode(byte[] payload) {
        return RunningHost.decodeRecord(payload);
    }
}
