package io.edgefn.buffer;

/**
 * The failure of an append refused because the buffer holds {@link BufferOptions#maxBytes()} and the
 * policy is {@link FullPolicy#REJECT_NEW}. The producer must withhold its acknowledgement; nothing
 * already accepted was lost.
 */
public final class BufferFullException extends BufferException {
    private static final long serialVersionUID = 1L;
    private final long bytesHeld;
    private final long maxBytes;
    private final int recordBytes;

    /** Creates the exception for a record of {@code recordBytes} that does not fit beside {@code bytesHeld}. */
    public BufferFullException(long bytesHeld, long maxBytes, int recordBytes) {
        super("offline buffer full: holds " + bytesHeld + " of maxBytes " + maxBytes
                + " bytes, a record of " + recordBytes + " bytes does not fit (fullPolicy REJECT_NEW)");
        this.bytesHeld = bytesHeld;
        this.maxBytes = maxBytes;
        this.recordBytes = recordBytes;
    }

    /** The bytes on disk when the append was refused. */
    public long bytesHeld() {
        return bytesHeld;
    }

    /** The configured cap. */
    public long maxBytes() {
        return maxBytes;
    }

    /** The framed size of the refused record. */
    public int recordBytes() {
        return recordBytes;
    }
}
