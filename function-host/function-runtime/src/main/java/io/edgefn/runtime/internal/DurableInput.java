package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import io.edgefn.buffer.BufferOptions;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.buffer.Cursor;
import io.edgefn.buffer.OfflineBuffer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A function input fed by a route marked {@code durable}: what the route delivers is appended to
 * an offline buffer of its own (taken = on disk), a pump thread hands it to the function, and a
 * record is acknowledged only when the function is done with it — processed, or dead-lettered.
 * A crash or a stop therefore loses nothing: after a restart the cursor resumes at the first
 * record not done, at least once.
 *
 * <p>Thread-safe: {@link #append} from any thread; one pump thread owned by this object.
 */
final class DurableInput implements MessageSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DurableInput.class);
    private static final String CURSOR = "input";
    private static final Duration FAILURE_PAUSE = Duration.ofSeconds(1);

    private final FunctionRuntime function;
    private final String input;
    private final String address;
    private final OfflineBuffer buffer;
    private final Cursor cursor;
    private final InstantSource clock;
    private final Duration queueWait;
    private final Thread pump;
    private volatile boolean closed;

    private DurableInput(FunctionRuntime function, String input, OfflineBuffer buffer, InstantSource clock, Duration queueWait) {
        this.function = function;
        this.input = input;
        this.address = "/modules/" + function.name() + "/inputs/" + input;
        this.buffer = buffer;
        this.cursor = buffer.cursor(CURSOR);
        this.clock = clock;
        this.queueWait = queueWait;
        this.pump = Thread.ofPlatform().daemon().name("edgefn-durable-" + function.name() + "-" + input).unstarted(this::pumpLoop);
    }

    /** Opens (recovering) the buffer of {@code function}'s {@code input} under {@code directory}. */
    static DurableInput open(Path directory, FunctionRuntime function, String input, InstantSource clock,
                                    Duration queueWait) throws IOException {
        OfflineBuffer buffer = OfflineBuffer.open(directory, BufferOptions.builder().clock(clock).build());
        return new DurableInput(function, input, buffer, clock, queueWait);
    }

    /**
     * Opens a durable input under {@code root}/{module}/{input} for every function input that a
     * route marked durable feeds, by sink address.
     */
    static java.util.Map<String, DurableInput> openAll(io.edgefn.routes.RouteTable table,
            java.util.Map<String, FunctionRuntime> functions, Path root, InstantSource clock, Duration queueWait) {
        java.util.Map<String, DurableInput> inputs = new java.util.LinkedHashMap<>();
        for (io.edgefn.routes.CompiledRoute route : table.routes()) {
            if (route.durable() && route.sink() instanceof io.edgefn.routes.Sink.FunctionInput in
                    && functions.containsKey(in.moduleId()) && !inputs.containsKey(in.address())) {
                Path where = root.resolve(in.moduleId()).resolve(in.input());
                try {
                    inputs.put(in.address(), open(where, functions.get(in.moduleId()), in.input(), clock, queueWait));
                } catch (IOException e) {
                    inputs.values().forEach(DurableInput::close);
                    throw new io.edgefn.runtime.HostException("cannot open the durable input " + in.address() + " in "
                            + where + ": " + e.getMessage(), e);
                }
            }
        }
        return inputs;
    }

    /** Starts handing buffered records to the function. */
    void start() {
        pump.start();
    }

    @Override
    public String address() {
        return address;
    }

    /** Appends {@code message}; completes once it is on disk. */
    @Override
    public CompletableFuture<Void> accept(Message message, int routePriority, long timeToLiveSecs, Patience patience) {
        return BufferedMessages.append(buffer, message, routePriority, timeToLiveSecs, clock, patience);
    }

    @Override
    public boolean congested() {
        return buffer.congested();
    }

    /** Records not yet done with. */
    long depth() {
        return cursor.depth();
    }

    /**
     * Hands records over until closed or the function no longer runs. A failure in the host's own
     * part (reading the buffer, an {@link Error} included) is logged and the pump goes on after a
     * pause: a pump that ended would leave a RUNNING function's durable input unread.
     */
    private void pumpLoop() {
        while (!closed) {
            try {
                if (!pumpOnce()) {
                    return;
                }
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            } catch (Throwable t) {
                if (closed) {
                    return;
                }
                pauseAfter(t); // reading the buffer failed
            }
        }
    }

    /** Hands over one batch; false when the function no longer takes records. */
    private boolean pumpOnce() throws InterruptedException {
        List<BufferedRecord> records = cursor.poll(64, Duration.ofMillis(200));
        for (BufferedRecord record : records) {
            Message message;
            try {
                message = MessageCodec.decode(record.payload());
            } catch (Throwable e) { // a poisoned record (one that overflows the stack, say) must not stop the pump
                LOG.error("durable input {}/{}: record {} cannot be read, skipped: {}", function.name(), input,
                        record.offset(), Failures.describe(e));
                cursor.ack(record.offset());
                continue;
            }
            long offset = record.offset();
            while (!closed && !offer(message, record.priority(), () -> cursor.ack(offset))) {
                io.edgefn.runtime.FunctionState state = function.state();
                if (state == io.edgefn.runtime.FunctionState.FAILED || state == io.edgefn.runtime.FunctionState.DRAINING
                        || state == io.edgefn.runtime.FunctionState.STOPPED) {
                    LOG.info("durable input {}/{}: function is {}; {} record(s) stay on disk for the next start",
                            function.name(), input, state, cursor.depth());
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Offers one record's message; false when it was not taken. A failure (an {@link Error}
     * included) is logged and answered false after a pause, so the same record is offered again:
     * none is skipped, and the order holds.
     */
    private boolean offer(Message message, int priority, Runnable onProcessed) throws InterruptedException {
        try {
            return function.offer(message, input, priority, queueWait, onProcessed);
        } catch (InterruptedException e) {
            throw e;
        } catch (Throwable t) {
            pauseAfter(t);
            return false;
        }
    }

    private void pauseAfter(Throwable t) {
        LOG.error("durable input {}/{}: handing records to the function failed; retrying in {} ms: {}",
                function.name(), input, FAILURE_PAUSE.toMillis(), Failures.describe(t));
        LockSupport.parkNanos(FAILURE_PAUSE.toNanos()); // close() unparks it with its interrupt
    }

    @Override
    public void close() {
        closed = true;
        pump.interrupt();
        try {
            pump.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        buffer.close();
    }
}
