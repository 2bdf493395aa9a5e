package io.edgefn.buffer;

/** What the buffer does with a new append when holding it would exceed {@link BufferOptions#maxBytes()}. */
public enum FullPolicy {
    /** The append fails with {@link BufferFullException}; nothing already accepted is touched. The default. */
    REJECT_NEW,
    /**
     * Whole segments of the lowest-priority band that holds data are deleted, oldest first, until the
     * new record fits; every record dropped this way is counted as a {@code full} drop.
     */
    DROP_OLDEST
}
