package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import io.edgefn.buffer.BufferOptions;
import io.edgefn.buffer.Cursor;
import io.edgefn.buffer.OfflineBuffer;
import io.edgefn.runtime.HostException;
import io.edgefn.runtime.ModuleInbox;
import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;

/**
 * An external module's input fed by a route marked {@code durable}: an offline buffer of its own
 * under {@code modules/{module}/{input}} in the data directory, so what waits for a module that is
 * away survives a crash. Taken = fsynced. A producer that may wait waits for the writer; the
 * safety path and event loops are refused at once when it is backed up (counted by the route
 * graph as undeliverable), never held.
 *
 * <p>Thread-safe: the buffer serialises appends on its writer thread.
 */
final class DurableModuleInbox implements MessageSink, ModuleInbox, AutoCloseable {

    private static final String CURSOR = "module";

    private final String moduleId;
    private final String input;
    private final String address;
    private final OfflineBuffer buffer;
    private final Cursor cursor;
    private final InstantSource clock;
    private final long defaultTimeToLiveSecs;

    private DurableModuleInbox(String moduleId, String input, OfflineBuffer buffer, InstantSource clock,
                               long defaultTimeToLiveSecs) {
        this.moduleId = moduleId;
        this.input = input;
        this.address = "/modules/" + moduleId + "/inputs/" + input;
        this.buffer = buffer;
        this.cursor = buffer.cursor(CURSOR);
        this.clock = clock;
        this.defaultTimeToLiveSecs = defaultTimeToLiveSecs;
    }

    /** Opens (recovering) the inbox of {@code moduleId}'s {@code input} under {@code root}. */
    static DurableModuleInbox open(Path root, String moduleId, String input, InstantSource clock, long defaultTimeToLiveSecs) {
        Path where = root.resolve(moduleId).resolve(input);
        try {
            return new DurableModuleInbox(moduleId, input, OfflineBuffer.open(where, BufferOptions.builder().clock(clock).build()),
                    clock, defaultTimeToLiveSecs);
        } catch (IOException e) {
            throw new HostException("cannot open the durable inbox of module " + moduleId + " input " + input + " in "
                    + where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public CompletableFuture<Void> accept(Message message, int priority, long timeToLiveSecs, Patience patience) {
        long ttl = timeToLiveSecs > 0 ? timeToLiveSecs : defaultTimeToLiveSecs;
        // The safety path never waits for a module's disk: fail fast, as an event loop would.
        Patience wait = patience == Patience.SAFETY_PATH ? Patience.NONE : patience;
        return BufferedMessages.append(buffer, message, priority, ttl, clock, wait);
    }

    @Override
    public boolean congested() {
        return buffer.congested();
    }

    @Override
    public String moduleId() {
        return moduleId;
    }

    @Override
    public String input() {
        return input;
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public Cursor cursor() {
        return cursor;
    }

    @Override
    public long dropped() {
        return 0;
    }

    @Override
    public void close() {
        buffer.close();
    }
}
