package io.edgefn.devices.spherelink;

import io.edgefn.api.CommandResult;
import io.edgefn.api.DeviceCommandException;
import io.edgefn.api.DeviceCommandException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * COMMANDs waiting for their ACK, correlated by seq: each is sent, resent with the same seq and
 * payload every retry interval until the tries run out, then failed with {@code TIMEOUT}.
 *
 * <p>Thread-safe: the caller's thread registers, the reader thread acknowledges, the scheduler
 * retries; each command is completed exactly once (whoever removes it from the map completes it),
 * never under a lock.
 */
final class PendingCommands {

    private final class Pending {
        final Frame frame;
        final String name;
        final Instant sentAt;
        final CompletableFuture<CommandResult> result = new CompletableFuture<>();
        int tries;

        Pending(Frame frame, String name, Instant sentAt) {
            this.frame = frame;
            this.name = name;
            this.sentAt = sentAt;
        }
    }

    private final ConcurrentHashMap<Integer, Pending> bySeq = new ConcurrentHashMap<>();
    private final String deviceId;
    private final SphereLinkOptions options;
    private final InstantSource clock;
    private final ScheduledExecutorService scheduler;
    private final Consumer<Frame> writer;
    private final LinkCounters counters;

    /** {@code writer} puts a frame on the current port, doing nothing when there is none. */
    PendingCommands(String deviceId, SphereLinkOptions options, InstantSource clock, ScheduledExecutorService scheduler,
                    Consumer<Frame> writer, LinkCounters counters) {
        this.deviceId = deviceId;
        this.options = options;
        this.clock = clock;
        this.scheduler = scheduler;
        this.writer = writer;
        this.counters = counters;
    }

    /** Whether a command with {@code seq} still waits (its seq must not be reused yet). */
    boolean isPending(int seq) {
        return bySeq.containsKey(seq);
    }

    /** Sends {@code frame} (a COMMAND named {@code name}) for the first time and tracks it. */
    CompletableFuture<CommandResult> send(Frame frame, String name) {
        Pending p = new Pending(frame, name, clock.instant());
        bySeq.put(frame.seq(), p);
        attempt(p);
        return p.result;
    }

    private void attempt(Pending p) {
        if (bySeq.get(p.frame.seq()) != p) {
            return;
        }
        if (p.tries == options.commandTries()) {
            if (bySeq.remove(p.frame.seq(), p)) {
                p.result.completeExceptionally(new DeviceCommandException(Reason.TIMEOUT, deviceId,
                        "device '" + deviceId + "' did not acknowledge COMMAND '" + p.name + "' (seq " + p.frame.seq()
                                + ") after " + p.tries + " tries " + options.commandRetry().toMillis() + " ms apart"));
            }
            return;
        }
        if (p.tries > 0) {
            counters.retries.increment();
        }
        p.tries++;
        writer.accept(p.frame);
        try {
            scheduler.schedule(() -> attempt(p), options.commandRetry().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            if (bySeq.remove(p.frame.seq(), p)) {
                p.result.completeExceptionally(new DeviceCommandException(Reason.CLOSED, deviceId,
                        "COMMAND '" + p.name + "' to device '" + deviceId + "': the host's scheduler has shut down"));
            }
        }
    }

    /** Completes the command with {@code seq} from its ACK; an ACK nobody waits for is ignored. */
    boolean acknowledge(int seq, CommandResult.Status status, String detail) {
        Pending p = bySeq.remove(seq);
        if (p == null) {
            return false;
        }
        p.result.complete(new CommandResult(status, detail, Duration.between(p.sentAt, clock.instant())));
        return true;
    }

    /** Fails every waiting command with {@code reason}. */
    void failAll(Reason reason, String message) {
        List<Pending> all = new ArrayList<>(bySeq.values());
        for (Pending p : all) {
            if (bySeq.remove(p.frame.seq(), p)) {
                p.result.completeExceptionally(new DeviceCommandException(reason, deviceId,
                        "COMMAND '" + p.name + "' to device '" + deviceId + "': " + message));
            }
        }
    }
}
