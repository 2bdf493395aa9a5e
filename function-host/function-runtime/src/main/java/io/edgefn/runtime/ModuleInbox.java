package io.edgefn.runtime;

import io.edgefn.buffer.Cursor;

/**
 * Messages routed to one input of an external module — a process that connects to the gateway's
 * edge hub as {@code deviceId/moduleId} — waiting for that module to take them. The edge hub
 * drains {@link #cursor()} while the module is connected and acknowledges each record when the
 * module has acknowledged it; while the module is away its messages wait, as in edgeHub, up to
 * their route's time to live.
 *
 * <p>Two kinds, by the route: a route marked {@code durable} keeps its messages on disk (taken =
 * fsynced; a full disk pushes back on producers that may wait and refuses the safety path at
 * once); any other route keeps them in a bounded queue in memory that, when full, drops its
 * oldest message of the lowest priority and counts it in {@link #dropped()}.
 *
 * <p>A record's payload decodes with {@link UpstreamRecords#decode}. Thread-safe.
 */
public interface ModuleInbox {

    /** The external module's id. */
    String moduleId();

    /** The module input the messages are for. */
    String input();

    /** Whether the messages are kept on disk. */
    boolean durable();

    /** The records waiting, highest priority first; acknowledge each once the module took it. */
    Cursor cursor();

    /** Messages dropped because the in-memory queue was full (always 0 for a durable inbox). */
    long dropped();
}
