package io.edgefn.devices.sim;

import io.edgefn.devices.spherelink.Payloads;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.devices.ByteTransport;
import io.edgefn.devices.spherelink.BadFrameReason;
import io.edgefn.devices.spherelink.Frame;
import io.edgefn.devices.spherelink.FrameCodec;
import io.edgefn.devices.spherelink.FrameType;
import io.edgefn.devices.spherelink.RecentPairs;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pump's MCU speaking the Sphere link on any {@link ByteTransport}: the far end of a
 * {@link PtyPair}, a real serial port, or the device end of an
 * {@link io.edgefn.devices.InMemoryTransport}. A second implementation of the protocol, built on
 * the driver module's public codec ({@link FrameCodec}) and duplicate rule ({@link RecentPairs}).
 *
 * <p>It sends HELLO at boot and answers any gateway frame with HELLO until a HELLO_ACK arrives
 * (which starts a link session: it forgets the commands it acted on and takes the fail-safe
 * period); answers PING with PONG; streams TELEMETRY {@code {"ts", "pressure", "temp", "rpm"}}
 * at the configured rate while a session is up; carries out COMMAND {@code shutdown} (pump stops,
 * rpm 0, ACK ok) and {@code restart} (pump runs, ACK ok, then EVENT {@code pump-restarted}),
 * answers any other name with ACK {@code unknown-command}, and acts once per (seq, payload) over
 * the last 16. When the gateway has been silent for the fail-safe period it stops the pump and,
 * once it hears the gateway again, reports EVENT {@code fail-safe}. EVENTs are resent until
 * acknowledged (3 tries, 200 ms apart).
 *
 * <p>For the demo, a developing fault makes the pressure climb once the pump has run for a
 * while; for the loop benchmark, {@link #injectReading(double)} sends one reading at once and the
 * {@linkplain Builder#onCommandRead command hook} reports when each COMMAND frame was read.
 *
 * <p>Thread-safe. It runs a reader thread of its own and its timers on a scheduler (its own
 * unless one is given); hooks run on the reader thread and must return quickly. It owns the
 * transport once started: {@link #close()} closes it.
 */
public final class PumpSimulator implements AutoCloseable {
    /** The discharge pressure of the healthy running pump, in bar; readings wander around it by about ±1 bar. */
    public static final double NOMINAL_PRESSURE_BAR = PumpModel.NOMINAL_PRESSURE;
    /** The casing temperature of the healthy running pump, in °C. */
    public static final double NOMINAL_TEMP_CELSIUS = PumpModel.NOMINAL_TEMP;
    /** The shaft speed of the running pump, in rpm (0 when stopped). */
    public static final double NOMINAL_RPM = PumpModel.NOMINAL_RPM;

    private static final Logger LOG = LoggerFactory.getLogger(PumpSimulator.class);
    private static final String ACK_OK = "{\"status\":\"ok\"}";
    private static final List<String> COMMANDS = List.of("shutdown", "restart");

    /**
     * A COMMAND frame the simulator has just read, before acting on it.
     *
     * @param seq      the frame's seq
     * @param name     the command name ({@code null} if the payload had none)
     * @param nanoTime the simulator's ticker when the frame was decoded
     */
    public record CommandRead(int seq, String name, long nanoTime) {
    }

    private final ByteTransport transport;
    private final String deviceId;
    private final String firmware;
    private final InstantSource clock;
    private final LongSupplier ticker;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final double telemetryHz;
    private final Duration eventRetry;
    private final int eventTries;
    private final Consumer<CommandRead> onCommandRead;
    private final RandomGenerator random;

    private final Object lock = new Object();
    private final PumpModel pump;
    private final RecentPairs actedOn = new RecentPairs();
    private final ConcurrentHashMap<Integer, CompletableFuture<Boolean>> eventsAwaitingAck = new ConcurrentHashMap<>();
    private final AtomicLong telemetrySent = new AtomicLong();
    private final AtomicLong commandsActedOn = new AtomicLong();
    private int nextSeq;
    private boolean session;
    private long failSafeMillis;
    private long lastHeardMillis;
    private long lastStepMillis;
    private boolean failSafeTripped;
    private boolean failSafeToReport;
    private volatile boolean closed;
    private ScheduledFuture<?> telemetryTask;
    private ScheduledFuture<?> watchdogTask;
    private Thread reader;

    private PumpSimulator(Builder b) {
        this.transport = b.transport;
        this.deviceId = b.deviceId;
        this.firmware = b.firmware;
        this.clock = b.clock;
        this.ticker = b.ticker;
        this.telemetryHz = b.telemetryHz;
        this.eventRetry = b.eventRetry;
        this.eventTries = b.eventTries;
        this.onCommandRead = b.onCommandRead;
        this.random = b.random;
        this.ownsScheduler = b.scheduler == null;
        this.scheduler = ownsScheduler ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pump-simulator-" + b.deviceId);
            t.setDaemon(true);
            return t;
        }) : b.scheduler;
        long now = clock.millis();
        this.pump = new PumpModel(random, b.faultAfter == null ? -1 : b.faultAfter.toMillis(), b.faultRisePerSecond, now);
        this.nextSeq = random.nextInt(0x10000);
        this.lastHeardMillis = now;
        this.lastStepMillis = now;
    }

    /** A builder for a simulator talking on {@code transport}. */
    public static Builder builder(ByteTransport transport) {
        return new Builder(transport);
    }

    /** Boots the MCU: starts reading, sends HELLO, starts the telemetry and fail-safe timers. */
    public void start() {
        synchronized (lock) {
            if (reader != null) {
                throw new IllegalStateException("simulator " + deviceId + " already started");
            }
            reader = new Thread(this::readLoop, "pump-simulator-reader-" + deviceId);
            reader.setDaemon(true);
            reader.start();
            long period = Math.max(1, Math.round(1_000_000_000.0 / telemetryHz));
            telemetryTask = scheduler.scheduleAtFixedRate(this::sendTelemetry, period, period, TimeUnit.NANOSECONDS);
            watchdogTask = scheduler.scheduleAtFixedRate(this::checkFailSafe, 20, 20, TimeUnit.MILLISECONDS);
        }
        sendHello();
    }

    /**
     * Sends one TELEMETRY reading at once with {@code pressure} in place of the model's value
     * (e.g. one beyond the pump's hard limit) and returns the ticker just before it was written.
     */
    public long injectReading(double pressure) {
        byte[] payload;
        synchronized (lock) {
            payload = telemetryPayload(pressure);
        }
        long at = ticker.getAsLong();
        write(Frame.of(FrameType.TELEMETRY, nextSeq(), payload));
        telemetrySent.incrementAndGet();
        return at;
    }

    /**
     * Sends EVENT {@code {"name": name, …fields}}, resent until acknowledged; completes with
     * {@code true} on the ACK, {@code false} when every try went unanswered.
     */
    public CompletableFuture<Boolean> sendEvent(String name, Map<String, ?> fields) {
        ObjectNode event = Payloads.object();
        event.put("name", Objects.requireNonNull(name, "name"));
        fields.forEach((k, v) -> event.set(k, Payloads.MAPPER.valueToTree(v)));
        int seq = nextSeq();
        CompletableFuture<Boolean> acked = new CompletableFuture<>();
        eventsAwaitingAck.put(seq, acked);
        sendEventTry(Frame.of(FrameType.EVENT, seq, Payloads.bytes(event)), 1, acked);
        return acked;
    }

    /** Whether the pump is running. */
    public boolean isRunning() {
        synchronized (lock) {
            return pump.running();
        }
    }

    /** The pump's speed now. */
    public double rpm() {
        synchronized (lock) {
            return pump.rpm();
        }
    }

    /** Whether a gateway has answered HELLO since boot. */
    public boolean hasSession() {
        synchronized (lock) {
            return session;
        }
    }

    /** Whether the fail-safe has stopped the pump (until the next restart). */
    public boolean failSafeTripped() {
        synchronized (lock) {
            return failSafeTripped;
        }
    }

    /** TELEMETRY frames sent, injected ones included. */
    public long telemetrySent() {
        return telemetrySent.get();
    }

    /** COMMANDs acted on (duplicates not counted). */
    public long commandsActedOn() {
        return commandsActedOn.get();
    }

    /** Stops the timers and the reader and closes the transport; idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (telemetryTask != null) {
                telemetryTask.cancel(false);
                watchdogTask.cancel(false);
            }
        }
        try {
            transport.close();
        } catch (IOException e) {
            LOG.debug("simulator {}: closing {} failed: {}", deviceId, transport.describe(), e.getMessage());
        }
        if (ownsScheduler) {
            scheduler.shutdownNow();
        }
        eventsAwaitingAck.values().forEach(f -> f.complete(false));
    }

    // ---- timers

    private void sendTelemetry() {
        byte[] payload;
        synchronized (lock) {
            long now = clock.millis();
            pump.step(Math.max(0, now - lastStepMillis) / 1000.0, now);
            lastStepMillis = now;
            if (!session) {
                return;
            }
            payload = telemetryPayload(pump.pressure());
        }
        write(Frame.of(FrameType.TELEMETRY, nextSeq(), payload));
        telemetrySent.incrementAndGet();
    }

    /** Called under the lock. */
    private byte[] telemetryPayload(double pressure) {
        ObjectNode t = Payloads.object();
        t.put("ts", clock.millis());
        t.put("pressure", round2(pressure));
        t.put("temp", round2(pump.temp()));
        t.put("rpm", Math.round(pump.rpm()));
        return Payloads.bytes(t);
    }

    private void checkFailSafe() {
        synchronized (lock) {
            if (failSafeMillis <= 0 || failSafeTripped || !pump.running()) {
                return;
            }
            long silent = clock.millis() - lastHeardMillis;
            if (silent < failSafeMillis) {
                return;
            }
            pump.stop();
            failSafeTripped = true;
            failSafeToReport = true;
            LOG.info("simulator {}: gateway silent for {} ms, fail-safe stops the pump", deviceId, silent);
        }
    }

    // ---- reading

    private void readLoop() {
        FrameCodec.Decoder decoder = FrameCodec.decoder();
        FrameCodec.Sink sink = new FrameCodec.Sink() {
            @Override
            public void onFrame(Frame frame) {
                try {
                    onGatewayFrame(frame);
                } catch (RuntimeException e) {
                    LOG.error("simulator {}: handling {} failed", deviceId, frame, e);
                }
            }

            @Override
            public void onBadFrame(BadFrameReason reason, int wireLength) {
                LOG.debug("simulator {}: dropped a bad frame ({})", deviceId, reason.label());
            }
        };
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = transport.read(buf)) >= 0) {
                decoder.accept(buf, 0, n, sink);
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.info("simulator {}: line failed: {}", deviceId, e.getMessage());
            }
        }
    }

    private void onGatewayFrame(Frame frame) {
        long readAt = ticker.getAsLong();
        boolean helloNeeded;
        boolean reportFailSafe;
        synchronized (lock) {
            lastHeardMillis = clock.millis();
            helloNeeded = !session && frame.type() != FrameType.HELLO_ACK;
            reportFailSafe = session && failSafeToReport;
            failSafeToReport &= !reportFailSafe;
        }
        if (reportFailSafe) {
            sendEvent("fail-safe", Map.of("silentMillis", failSafeMillis));
        }
        switch (frame.type()) {
            case HELLO_ACK -> onHelloAck(frame);
            case PING -> write(Frame.empty(FrameType.PONG, frame.seq()));
            case COMMAND -> onCommand(frame, readAt);
            case ACK -> {
                CompletableFuture<Boolean> acked = eventsAwaitingAck.remove(frame.seq());
                if (acked != null) {
                    acked.complete(true);
                }
            }
            default -> LOG.debug("simulator {}: ignoring {}", deviceId, frame);
        }
        if (helloNeeded) {
            sendHello();
        }
    }

    private void onHelloAck(Frame frame) {
        JsonNode ack = Payloads.objectOrNull(frame.payload());
        synchronized (lock) {
            session = true;
            actedOn.clear();
            failSafeMillis = ack == null ? 0 : ack.path("failSafeMillis").asLong(0);
            lastHeardMillis = clock.millis();
        }
        LOG.info("simulator {}: session with gateway {}", deviceId, ack == null ? "?" : ack.path("gatewayId").asText("?"));
    }

    /** Runs on the reader thread, the only user of {@code actedOn}. */
    private void onCommand(Frame frame, long readAt) {
        byte[] payload = frame.payload();
        JsonNode command = Payloads.objectOrNull(payload);
        String name = command == null || !command.path("name").isTextual() ? null : command.path("name").asText();
        if (onCommandRead != null) {
            try {
                onCommandRead.accept(new CommandRead(frame.seq(), name, readAt));
            } catch (RuntimeException e) {
                LOG.error("simulator {}: the command hook threw", deviceId, e);
            }
        }
        String answer = actedOn.answerFor(frame.seq(), payload);
        if (answer != null) {
            write(Frame.of(FrameType.ACK, frame.seq(), answer));
            return;
        }
        boolean restarted = false;
        if (name == null) {
            answer = "{\"status\":\"error\",\"detail\":\"COMMAND payload has no \\\"name\\\"\"}";
        } else if (name.equals("shutdown")) {
            synchronized (lock) {
                pump.stop();
            }
            LOG.info("simulator {}: shutdown ({})", deviceId, command.path("args").path("reason").asText(""));
            answer = ACK_OK;
        } else if (name.equals("restart")) {
            synchronized (lock) {
                pump.restart(clock.millis());
                failSafeTripped = false;
                failSafeToReport = false;
            }
            answer = ACK_OK;
            restarted = true;
        } else {
            ObjectNode unknown = Payloads.object();
            unknown.put("status", "unknown-command");
            unknown.put("detail", "no command '" + name + "'; this pump knows " + COMMANDS);
            answer = unknown.toString();
        }
        commandsActedOn.incrementAndGet();
        actedOn.remember(frame.seq(), payload, answer);
        write(Frame.of(FrameType.ACK, frame.seq(), answer));
        if (restarted) {
            sendEvent("pump-restarted", Map.of());
        }
    }

    // ---- writing

    private void sendHello() {
        ObjectNode hello = Payloads.object();
        hello.put("deviceId", deviceId);
        hello.put("firmware", firmware);
        hello.putArray("capabilities").add("telemetry").add("shutdown").add("restart").add("fail-safe");
        write(Frame.of(FrameType.HELLO, nextSeq(), Payloads.bytes(hello)));
    }

    private void sendEventTry(Frame frame, int attempt, CompletableFuture<Boolean> acked) {
        if (acked.isDone() || closed) {
            return;
        }
        if (attempt > eventTries) {
            eventsAwaitingAck.remove(frame.seq(), acked);
            acked.complete(false);
            return;
        }
        write(frame);
        try {
            scheduler.schedule(() -> sendEventTry(frame, attempt + 1, acked), eventRetry.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            acked.complete(false);
        }
    }

    private int nextSeq() {
        synchronized (lock) {
            int seq = nextSeq;
            nextSeq = (seq + 1) & 0xFFFF;
            return seq;
        }
    }

    private void write(Frame frame) {
        if (closed) {
            return;
        }
        try {
            transport.write(FrameCodec.encode(frame));
        } catch (IOException e) {
            LOG.debug("simulator {}: writing {} failed: {}", deviceId, frame.type(), e.getMessage());
        }
    }

    private static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }

    /** Configures a {@link PumpSimulator}; every setting has a default. Not thread-safe. */
    public static final class Builder {
        private final ByteTransport transport;
        private String deviceId = "pump-01";
        private String firmware = "pump-sim/1.0";
        private InstantSource clock = InstantSource.system();
        private LongSupplier ticker = System::nanoTime;
        private ScheduledExecutorService scheduler;
        private double telemetryHz = 20;
        private Duration faultAfter;
        private double faultRisePerSecond = 2.0;
        private Duration eventRetry = Duration.ofMillis(200);
        private int eventTries = 3;
        private Consumer<CommandRead> onCommandRead;
        private RandomGenerator random = new SplittableRandom();

        private Builder(ByteTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
        }

        /** The id announced in HELLO (default {@code pump-01}). */
        public Builder deviceId(String deviceId) {
            this.deviceId = requireText(deviceId, "deviceId");
            return this;
        }

        /** The firmware version announced in HELLO (default {@code pump-sim/1.0}). */
        public Builder firmware(String firmware) {
            this.firmware = requireText(firmware, "firmware");
            return this;
        }

        /** The clock for timestamps and the fail-safe (default the system clock). */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The nanosecond ticker the benchmark hooks read (default {@link System#nanoTime()}). */
        public Builder ticker(LongSupplier ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Runs the timers on {@code scheduler} (not shut down on close) instead of a thread of its own. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Telemetry frames per second, 0.1..10,000 (default 20; 1,000 for the benchmark). */
        public Builder telemetryHz(double hz) {
            if (!(hz >= 0.1 && hz <= 10_000)) {
                throw new IllegalArgumentException("telemetryHz must be 0.1..10000, was: " + hz);
            }
            this.telemetryHz = hz;
            return this;
        }

        /** After the pump has run this long, its pressure starts to climb (default: never). */
        public Builder developingFaultAfter(Duration after) {
            if (after != null && after.isNegative()) {
                throw new IllegalArgumentException("developingFaultAfter must not be negative, was: " + after);
            }
            this.faultAfter = after;
            return this;
        }

        /** How fast the pressure climbs during the developing fault, bar per second (default 2). */
        public Builder faultRisePerSecond(double barPerSecond) {
            if (!(barPerSecond > 0 && barPerSecond < 1000)) {
                throw new IllegalArgumentException("faultRisePerSecond must be in (0, 1000), was: " + barPerSecond);
            }
            this.faultRisePerSecond = barPerSecond;
            return this;
        }

        /** EVENT resends: {@code tries} tries (≥ 1) {@code interval} apart (default 3, 200 ms). */
        public Builder eventRetries(int tries, Duration interval) {
            if (tries < 1 || interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("eventRetries needs tries >= 1 and a positive interval, was: "
                        + tries + ", " + interval);
            }
            this.eventTries = tries;
            this.eventRetry = interval;
            return this;
        }

        /** Called on the reader thread as each COMMAND frame is read, before it is acted on. */
        public Builder onCommandRead(Consumer<CommandRead> hook) {
            this.onCommandRead = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /** The noise and initial seq come from {@code seed} (default: a random seed). */
        public Builder seed(long seed) {
            this.random = new SplittableRandom(seed);
            return this;
        }

        /** The simulator, not yet started. */
        public PumpSimulator build() {
            return new PumpSimulator(this);
        }

        private static String requireText(String value, String what) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank, was: " + value);
            }
            return value;
        }
    }
}
