package io.edgefn.buffer;

/** When an append's future completes relative to the fsync that makes the record durable. */
public enum Durability {
    /**
     * The future completes only after the fsync that covers the record; many appends share one fsync
     * (group commit, bounded by {@link BufferOptions#commitWindow()}). A completed append survives a
     * crash and a power cut. The default.
     */
    GROUP_COMMIT,
    /**
     * The future completes once the record is written to the operating system; the writer fsyncs
     * every {@link BufferOptions#commitWindow()}. Loss window: a power cut (not a process crash) can
     * lose the appends completed during the last commit window. Never the default.
     */
    ASYNC
}
