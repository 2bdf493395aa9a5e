package io.edgefn.buffer;

import java.nio.ByteBuffer;

/** The records the buffer's recovery tests write: 100 bytes that carry their index and check themselves. */
final class TestRecords {

    private TestRecords() {
    }

    /** Record {@code i}'s payload: its index, then filler derived from it. */
    static byte[] payload(int i) {
        ByteBuffer b = ByteBuffer.allocate(100);
        b.putInt(i);
        while (b.hasRemaining()) {
            b.put((byte) (i * 31 + b.position()));
        }
        return b.array();
    }

    /** The index a payload written by {@link #payload} carries. */
    static int indexOf(byte[] payload) {
        return ByteBuffer.wrap(payload).getInt();
    }
}
