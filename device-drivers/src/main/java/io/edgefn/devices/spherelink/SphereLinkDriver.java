package io.edgefn.devices.spherelink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.api.CommandResult;
import io.edgefn.api.DeviceCommandException;
import io.edgefn.api.DeviceCommandException.Reason;
import io.edgefn.api.LogText;
import io.edgefn.api.Message;
import io.edgefn.devices.ByteTransport;
import io.edgefn.devices.DeviceConfig;
import io.edgefn.devices.DeviceDriver;
import io.edgefn.devices.DeviceEnvironment;
import io.edgefn.devices.DriverStats;
import io.edgefn.devices.LinkState;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway side of a Sphere link on one port.
 *
 * <h2>Design</h2>
 * Three kinds of thread touch a driver. A <b>reader thread</b> per open port (a platform thread,
 * blocking reads, no polling) decodes frames and answers them: HELLO → HELLO_ACK, PING → PONG,
 * EVENT → deliver then ACK, ACK → complete the waiting command. The environment's
 * <b>scheduler</b> runs the watchdog tick (PING after 1 s of quiet in either direction, so the
 * MCU's fail-safe hears the gateway even while it streams telemetry; offline after 3 s of silence),
 * command retries and port reopening. <b>Callers</b> send commands from any thread.
 *
 * <p>Each opening of the port is a {@link Session} with its own generation, transport and
 * sequence counter (starting at random); a reader or timer holding an old session finds its
 * generation stale and does nothing. The state and the session change only under {@code lock},
 * through {@link #moveTo}, which checks the transition table of {@link LinkState}. Listener calls
 * are enqueued under the lock (so they follow the state order) and run after it is released
 * ({@link OrderedCallbacks}); futures are completed outside the lock.
 *
 * <p>Silence, like a failed read, ends the session: the port is closed and reopened with
 * {@link Backoff} (100 ms doubling to 5 s), and the device is online again on the first valid
 * frame it sends: a HELLO from a rebooted MCU, or the PONG to the PING sent on every open from
 * an MCU that kept its session.
 *
 * <p>What reaches a log line from outside — the device id, payloads, what the MCU says about
 * itself, error messages — goes through {@link LogText}, so a hostile or garbled payload cannot
 * drive the terminal that shows the log or forge a line in it; payloads are cut to
 * 200 characters.
 */
final class SphereLinkDriver implements DeviceDriver {
    private static final Logger LOG = LoggerFactory.getLogger(SphereLinkDriver.class);
    private static final int READ_BUFFER = 4096;
    private static final int LOG_PREVIEW_CHARS = 200;

    /** One opening of the port. */
    private final class Session {
        final int generation;
        final ByteTransport transport;
        int nextSeq;

        Session(int generation, ByteTransport transport, int firstSeq) {
            this.generation = generation;
            this.transport = transport;
            this.nextSeq = firstSeq;
        }
    }

    private final DeviceConfig config;
    private final SphereLinkOptions options;
    private final DeviceEnvironment env;
    private final String deviceId;
    /** {@link #deviceId} as log lines and thread names show it. */
    private final String logId;
    private final LinkCounters counters = new LinkCounters();
    private final OrderedCallbacks callbacks;
    private final PendingCommands pending;
    private final RecentPairs recentEvents = new RecentPairs();
    private final Backoff backoff;

    private final Object lock = new Object();
    private LinkState state = LinkState.NEW;
    private Session session;
    private int generation;
    private boolean everOpened;
    private ScheduledFuture<?> watchdog;
    private ScheduledFuture<?> reopen;
    private volatile long lastHeardMillis;
    private volatile long lastPingMillis;
    private volatile long lastSentMillis;

    SphereLinkDriver(DeviceConfig config, SphereLinkOptions options, DeviceEnvironment env) {
        this.config = config;
        this.options = options;
        this.env = env;
        this.deviceId = config.deviceId();
        this.logId = LogText.escape(deviceId);
        this.callbacks = new OrderedCallbacks(logId);
        this.backoff = new Backoff(options.reconnectInitial(), options.reconnectMax());
        this.pending = new PendingCommands(deviceId, options, env.clock(), env.scheduler(), this::writeCurrent, counters);
    }

    @Override
    public void start() {
        synchronized (lock) {
            if (!moveTo(LinkState.CONNECTING, "opening " + config.port())) {
                throw new IllegalStateException("device '" + deviceId + "': start() called in state " + state);
            }
            long tick = options.tick().toNanos();
            watchdog = env.scheduler().scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.NANOSECONDS);
            reopen = env.scheduler().schedule(this::openPort, 0, TimeUnit.NANOSECONDS);
        }
        callbacks.drain();
    }

    @Override
    public LinkState state() {
        synchronized (lock) {
            return state;
        }
    }

    @Override
    public CompletableFuture<CommandResult> sendCommand(String name, Map<String, ?> args) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("device '" + deviceId + "': a command name must not be blank, was: " + name);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("args", args == null ? Map.of() : args);
        byte[] payload;
        try {
            payload = Payloads.bytes(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("device '" + deviceId + "': the args of command '" + name + "' "
                    + e.getMessage(), e);
        }
        if (payload.length > FrameCodec.MAX_PAYLOAD) {
            throw new IllegalArgumentException("device '" + deviceId + "': command '" + name + "' is "
                    + payload.length + " bytes as JSON, over the link's " + FrameCodec.MAX_PAYLOAD + "-byte limit");
        }
        Frame frame;
        synchronized (lock) {
            if (state == LinkState.CLOSED) {
                return CompletableFuture.failedFuture(new DeviceCommandException(Reason.CLOSED, deviceId,
                        "device '" + deviceId + "' is closed; command '" + name + "' was not sent"));
            }
            if (state != LinkState.ONLINE || session == null) {
                return CompletableFuture.failedFuture(new DeviceCommandException(Reason.OFFLINE, deviceId,
                        "device '" + deviceId + "' is " + state.name().toLowerCase(Locale.ROOT) + "; command '" + name
                                + "' was not sent"));
            }
            int seq = nextSeq(session);
            while (pending.isPending(seq)) {
                seq = nextSeq(session);
            }
            frame = Frame.owning(FrameType.COMMAND, seq, payload);
        }
        return pending.send(frame, name);
    }

    /**
     * Encodes a synthetic COMMAND as {@link #sendCommand} does (payload JSON, frame, CRC, COBS) and
     * decodes it and a synthetic ACK as the reader does, all on local copies: nothing is written,
     * and no state, sequence number, pending command or counter changes.
     */
    @Override
    public void warmUp() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "warm-up");
        body.put("args", Map.of("reason", "warm-up"));
        byte[] command = FrameCodec.encode(Frame.owning(FrameType.COMMAND, 0, Payloads.bytes(body)));
        byte[] ack = FrameCodec.encode(Frame.of(FrameType.ACK, 0, "{\"status\":\"ok\",\"detail\":null}"));
        FrameCodec.Decoder decoder = FrameCodec.decoder();
        FrameCodec.Sink sink = new FrameCodec.Sink() {
            @Override
            public void onFrame(Frame frame) {
                JsonNode payload = Payloads.objectOrNull(frame.payloadUnsafe());
                if (payload != null) {
                    payload.path("status").asText("");
                }
            }

            @Override
            public void onBadFrame(BadFrameReason reason, int wireLength) {
                // a synthetic frame is never bad; nothing to count either way
            }
        };
        decoder.accept(command, 0, command.length, sink);
        decoder.accept(ack, 0, ack.length, sink);
    }

    @Override
    public DriverStats stats() {
        return counters.snapshot();
    }

    @Override
    public void close() {
        ByteTransport toClose = null;
        synchronized (lock) {
            if (state == LinkState.CLOSED) {
                return;
            }
            moveTo(LinkState.CLOSED, "closed");
            if (session != null) {
                toClose = session.transport;
                session = null;
            }
            generation++;
            cancel(watchdog);
            cancel(reopen);
        }
        closeQuietly(toClose);
        pending.failAll(Reason.CLOSED, "the driver closed before an ACK arrived");
        callbacks.drain();
    }

    @Override
    public String toString() {
        return "SphereLinkDriver[" + deviceId + " on " + config.port() + ", " + state() + "]";
    }

    // ---- opening and closing the port

    private void openPort() {
        synchronized (lock) {
            if (state != LinkState.CONNECTING && state != LinkState.OFFLINE) {
                return;
            }
        }
        ByteTransport transport;
        try {
            transport = env.transports().open(config.port(), config.baud());
        } catch (IOException | RuntimeException e) {
            LOG.debug("device {}: cannot open {}: {}", logId, LogText.escape(config.port()),
                    LogText.escape(e.getMessage()));
            synchronized (lock) {
                if (state == LinkState.CONNECTING) {
                    moveTo(LinkState.OFFLINE, "cannot open " + config.port() + ": " + e.getMessage());
                }
                if (state == LinkState.OFFLINE) {
                    scheduleReopen();
                }
            }
            callbacks.drain();
            return;
        }
        Session s;
        synchronized (lock) {
            if (state == LinkState.CLOSED) {
                s = null;
            } else {
                if (state == LinkState.OFFLINE) {
                    moveTo(LinkState.CONNECTING, "reopened " + config.port());
                }
                if (everOpened) {
                    counters.reconnects.increment();
                }
                everOpened = true;
                s = new Session(++generation, transport, env.random().nextInt(0x10000));
                session = s;
                lastHeardMillis = env.clock().millis();
                lastPingMillis = lastHeardMillis;
                lastSentMillis = lastHeardMillis;
            }
        }
        callbacks.drain();
        if (s == null) {
            closeQuietly(transport);
            return;
        }
        Thread reader = new Thread(() -> readLoop(s), "sphere-link-reader-" + logId + "-" + s.generation);
        reader.setDaemon(true);
        reader.start();
        write(s, Frame.empty(FrameType.PING, nextSeqOf(s)));
    }

    /** Ends {@code s} if it is still the current session: closes its port, goes offline, schedules a reopen. */
    private void endSession(Session s, String reason) {
        synchronized (lock) {
            if (session != s || state == LinkState.CLOSED) {
                return;
            }
            session = null;
            generation++;
            if (state != LinkState.OFFLINE) {
                moveTo(LinkState.OFFLINE, reason);
            }
            scheduleReopen();
        }
        closeQuietly(s.transport);
        callbacks.drain();
    }

    /** Called under the lock. */
    private void scheduleReopen() {
        cancel(reopen);
        try {
            reopen = env.scheduler().schedule(this::openPort, backoff.next().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warn("device {}: the scheduler refused the reopen of {}; the link stays offline", logId,
                    LogText.escape(config.port()));
        }
    }

    // ---- the watchdog

    private void tick() {
        try {
            watch();
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: log and keep watching.
            LOG.error("device {}: the link watchdog failed; it keeps running", logId, e);
        }
    }

    private void watch() {
        Session s;
        LinkState st;
        synchronized (lock) {
            s = session;
            st = state;
        }
        if (s == null) {
            return;
        }
        long now = env.clock().millis();
        long quiet = now - lastHeardMillis;
        long pingAfter = options.pingAfterQuiet().toMillis();
        if (quiet >= options.offlineAfterSilence().toMillis() && st != LinkState.OFFLINE) {
            endSession(s, "no frame for " + quiet + " ms");
        } else if ((quiet >= pingAfter || now - lastSentMillis >= pingAfter) && now - lastPingMillis >= pingAfter) {
            // Quiet either way: a probe when the MCU is silent, a keep-alive for its fail-safe
            // when it streams telemetry and the gateway has had nothing to say.
            lastPingMillis = now;
            write(s, Frame.empty(FrameType.PING, nextSeqOf(s)));
        }
    }

    // ---- reading

    private void readLoop(Session s) {
        FrameCodec.Decoder decoder = FrameCodec.decoder();
        FrameCodec.Sink sink = new FrameCodec.Sink() {
            @Override
            public void onFrame(Frame frame) {
                onFrameSafely(s, frame);
            }

            @Override
            public void onBadFrame(BadFrameReason reason, int wireLength) {
                counters.bad(reason);
                LOG.debug("device {}: dropped a frame of {} bytes: {}", logId, wireLength, reason.label());
            }
        };
        byte[] buf = new byte[READ_BUFFER];
        String reason;
        try {
            while (true) {
                int n = s.transport.read(buf);
                if (n < 0) {
                    reason = "port " + config.port() + " closed";
                    break;
                }
                decoder.accept(buf, 0, n, sink);
                callbacks.drain();
            }
        } catch (IOException | RuntimeException e) {
            reason = "port " + config.port() + " failed: " + e.getMessage();
        }
        endSession(s, reason);
    }

    private void onFrameSafely(Session s, Frame frame) {
        try {
            onFrame(s, frame);
        } catch (RuntimeException e) {
            LOG.error("device {}: handling {} failed; the link carries on", logId, preview(frame), e);
        }
    }

    private void onFrame(Session s, Frame frame) {
        counters.framesIn.increment();
        lastHeardMillis = env.clock().millis();
        synchronized (lock) {
            if (session != s) {
                return;
            }
            if (state == LinkState.CONNECTING || state == LinkState.OFFLINE) {
                backoff.reset();
                moveTo(LinkState.ONLINE, frame.type() == FrameType.HELLO ? "hello" : "device answered ("
                        + frame.type() + ")");
            }
        }
        switch (frame.type()) {
            case HELLO -> onHello(s, frame);
            case TELEMETRY -> onTelemetry(frame);
            case EVENT -> onEvent(s, frame);
            case ACK -> onAck(frame);
            case PING -> write(s, Frame.empty(FrameType.PONG, frame.seq()));
            case PONG -> { }
            case HELLO_ACK, COMMAND -> {
                counters.bad(BadFrameReason.UNEXPECTED);
                LOG.debug("device {}: dropped {}: only a gateway sends it", logId, preview(frame));
            }
        }
    }

    private void onHello(Session s, Frame frame) {
        ObjectNode hello = Payloads.objectOrNull(frame.payloadUnsafe());
        if (hello == null) {
            counters.bad(BadFrameReason.PAYLOAD);
            LOG.warn("device {}: HELLO seq {} carries no JSON object: {}", logId, frame.seq(), payloadPreview(frame));
        } else {
            String announced = hello.path("deviceId").asText(null);
            if (announced != null && !announced.equals(deviceId)) {
                LOG.warn("device {}: the MCU on {} announces itself as '{}'; the configured id '{}' is used",
                        logId, LogText.escape(config.port()), LogText.preview(announced, LOG_PREVIEW_CHARS), logId);
            }
            LOG.info("device {}: HELLO from firmware {} with capabilities {}", logId,
                    LogText.preview(hello.path("firmware").asText("?"), LOG_PREVIEW_CHARS),
                    LogText.preview(hello.path("capabilities").toString(), LOG_PREVIEW_CHARS));
        }
        ObjectNode ack = Payloads.object();
        ack.put("gatewayId", env.gatewayId());
        ack.put("time", env.clock().millis());
        if (config.failSafe() != null) {
            ack.put("failSafeMillis", config.failSafe().toMillis());
        }
        write(s, Frame.owning(FrameType.HELLO_ACK, frame.seq(), Payloads.bytes(ack)));
    }

    private void onTelemetry(Frame frame) {
        if (!Payloads.looksLikeObject(frame.payloadUnsafe())) {
            counters.bad(BadFrameReason.PAYLOAD);
            LOG.debug("device {}: TELEMETRY seq {} is not a JSON object: {}", logId, frame.seq(), payloadPreview(frame));
            return;
        }
        Message m = LinkMessages.telemetry(deviceId, frame.payloadUnsafe());
        callbacks.enqueue(() -> env.listener().onMessage(m));
    }

    private void onEvent(Session s, Frame frame) {
        byte[] payload = frame.payloadUnsafe();
        String known = recentEvents.answerFor(frame.seq(), payload);
        if (known != null) {
            counters.duplicateEvents.increment();
            write(s, Frame.owning(FrameType.ACK, frame.seq(), known.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return;
        }
        if (Payloads.objectOrNull(payload) == null) {
            counters.bad(BadFrameReason.PAYLOAD);
            String answer = "{\"status\":\"error\",\"detail\":\"EVENT payload is not a JSON object\"}";
            recentEvents.remember(frame.seq(), payload, answer);
            write(s, Frame.of(FrameType.ACK, frame.seq(), answer));
            return;
        }
        String ok = "{\"status\":\"ok\"}";
        recentEvents.remember(frame.seq(), payload, ok);
        Message m = LinkMessages.event(deviceId, payload);
        // The ACK goes out after the listener has taken the event ("ACK, same seq, after
        // acting"); if it could not, the MCU hears so instead of a false "ok".
        callbacks.enqueue(() -> {
            String answer = ok;
            try {
                env.listener().onMessage(m);
            } catch (Throwable t) {
                LOG.error("device {}: the listener could not take EVENT seq {}; answering error", logId, frame.seq(), t);
                ObjectNode error = Payloads.object();
                error.put("status", "error");
                error.put("detail", "the gateway could not take the event: " + t);
                answer = error.toString();
                recentEvents.remember(frame.seq(), payload, answer);
            }
            write(s, Frame.of(FrameType.ACK, frame.seq(), answer));
        });
    }

    private void onAck(Frame frame) {
        JsonNode ack = Payloads.objectOrNull(frame.payloadUnsafe());
        if (ack == null) {
            counters.bad(BadFrameReason.PAYLOAD);
            LOG.warn("device {}: ACK seq {} carries no JSON object: {}", logId, frame.seq(), payloadPreview(frame));
            return;
        }
        String status = ack.path("status").asText("");
        String detail = ack.path("detail").isMissingNode() || ack.path("detail").isNull() ? null : ack.path("detail").asText();
        CommandResult.Status mapped = switch (status) {
            case "ok" -> CommandResult.Status.OK;
            case "unknown-command" -> CommandResult.Status.UNKNOWN_COMMAND;
            case "error" -> CommandResult.Status.ERROR;
            default -> null;
        };
        if (mapped == null) {
            counters.bad(BadFrameReason.PAYLOAD);
            mapped = CommandResult.Status.ERROR;
            detail = "the device answered with an unknown ACK status '" + status + "'"
                    + (detail == null ? "" : ": " + detail);
        }
        if (!pending.acknowledge(frame.seq(), mapped, detail)) {
            LOG.debug("device {}: ACK seq {} matches no waiting command (a late duplicate)", logId, frame.seq());
        }
    }

    // ---- writing

    private int nextSeqOf(Session s) {
        synchronized (lock) {
            return nextSeq(s);
        }
    }

    /** Called under the lock. */
    private static int nextSeq(SphereLinkDriver.Session s) {
        int seq = s.nextSeq;
        s.nextSeq = (seq + 1) & 0xFFFF;
        return seq;
    }

    private void writeCurrent(Frame frame) {
        Session s;
        synchronized (lock) {
            s = session;
        }
        if (s != null) {
            write(s, frame);
        }
    }

    private void write(Session s, Frame frame) {
        try {
            s.transport.write(FrameCodec.encode(frame));
            counters.framesOut.increment();
            lastSentMillis = env.clock().millis();
        } catch (IOException e) {
            LOG.debug("device {}: writing {} failed: {}", logId, frame.type(), LogText.escape(e.getMessage()));
        }
    }

    // ---- state

    /**
     * Moves to {@code next} if the transition table allows it, and enqueues the listener calls.
     * Called under the lock.
     */
    private boolean moveTo(LinkState next, String reason) {
        LinkState previous = state;
        if (!previous.canMoveTo(next)) {
            return false;
        }
        state = next;
        LOG.info("device {}: {} -> {} ({})", logId, previous, next, LogText.escape(reason));
        callbacks.enqueue(() -> env.listener().onStateChange(deviceId, next, reason));
        if (next == LinkState.ONLINE || previous == LinkState.ONLINE) {
            Message m = LinkMessages.lifecycle(deviceId, next, reason);
            callbacks.enqueue(() -> env.listener().onMessage(m));
        }
        return true;
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    private void closeQuietly(ByteTransport t) {
        if (t == null) {
            return;
        }
        try {
            t.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("device {}: closing {} failed: {}", logId, LogText.escape(t.describe()),
                    LogText.escape(e.getMessage()));
        }
    }

    /** {@code frame}'s payload as a log line shows it: escaped, and cut. */
    private static String payloadPreview(Frame frame) {
        return LogText.preview(frame.payloadText(), LOG_PREVIEW_CHARS);
    }

    /** {@code frame} as a log line shows it: type, sequence number and the payload's preview. */
    private static String preview(Frame frame) {
        return frame.type() + " seq=" + frame.seq() + (frame.payloadLength() == 0 ? "" : " " + payloadPreview(frame));
    }
}
