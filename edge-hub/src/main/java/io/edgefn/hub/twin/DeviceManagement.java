package io.edgefn.hub.twin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.api.Message;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device management through the gateway: twins, direct methods and cloud-to-device messages for
 * leaf devices, modules and (through {@link ManagedTarget}) functions and the gateway itself.
 *
 * <h2>Who talks to it</h2>
 * <ul>
 *   <li>The <b>edge hub</b> reports each authenticated connection ({@link #connected},
 *   {@link #subscriptionsChanged}, {@link #disconnected}) as a {@link DeviceChannel}, forwards twin
 *   requests ({@link #twin}, {@link #patchReported}) and method answers ({@link #methodResponse}).</li>
 *   <li>The <b>cloud side</b> (the upstream link's relay, or a test) applies desired patches
 *   ({@link #applyDesired}), invokes methods ({@link #invokeMethod}), sends messages
 *   ({@link #sendToDevice}), and hears of reported patches ({@link #onReportedPatch}) to sync them.</li>
 *   <li>The <b>app</b> registers functions as {@link ManagedTarget}s ({@link #register}).</li>
 * </ul>
 *
 * <p>The gateway answers twin requests from its own {@link TwinStore}, so devices work while the
 * cloud is away; the cloud's desired patches update that copy in version order.
 *
 * <h2>Threading</h2>
 * Thread-safe; no method blocks its caller: twin writes (an fsync each) run on the I/O executor,
 * timeouts on the scheduler. Futures are completed outside locks, on the I/O executor, the
 * scheduler or the thread that delivered the answer (an event loop): callers that continue with
 * blocking work must hop off it ({@code …Async}). Listeners and targets are called on the I/O
 * executor and must not block it.
 */
public final class DeviceManagement implements AutoCloseable {

    /** The shortest a method caller waits; a shorter timeout is raised to it. */
    public static final Duration MIN_METHOD_TIMEOUT = Duration.ofSeconds(5);
    /** The longest a method caller waits; a longer timeout is lowered to it. */
    public static final Duration MAX_METHOD_TIMEOUT = Duration.ofSeconds(300);
    /** The method timeout when none is given. */
    public static final Duration DEFAULT_METHOD_TIMEOUT = Duration.ofSeconds(30);
    /** The largest method payload, request or response: 128 KB. */
    public static final int MAX_METHOD_PAYLOAD_BYTES = 128 * 1024;
    /** Cloud-to-device messages held per device by default. */
    public static final int DEFAULT_C2D_CAPACITY = 50;

    private static final Logger LOG = LoggerFactory.getLogger(DeviceManagement.class);

    /** Hears of every reported patch applied, to carry it to the cloud. */
    @FunctionalInterface
    public interface ReportedListener {
        /** {@code patch} (a merge patch) was applied to {@code id}'s reported properties, giving version {@code version}. */
        void reportedPatched(TwinId id, byte[] patch, long version);
    }

    private final TwinStore store;
    private final InstantSource clock;
    private final ScheduledExecutorService scheduler;
    private final Executor io;
    private final Predicate<TwinId> known;
    private final List<AutoCloseable> owned;
    private final Map<TwinId, DeviceChannel> channels = new ConcurrentHashMap<>();
    private final Map<TwinId, ManagedTarget> targets = new ConcurrentHashMap<>();
    private final Map<String, PendingCall> calls = new ConcurrentHashMap<>();
    private final List<ReportedListener> reportedListeners = new CopyOnWriteArrayList<>();
    private final CloudToDeviceQueues c2d;
    private final AtomicLong nextRid = new AtomicLong();
    private final LongAdder reportedPatches = new LongAdder();
    private final LongAdder desiredPatches = new LongAdder();
    private final LongAdder methodsInvoked = new LongAdder();
    private final LongAdder methodsTimedOut = new LongAdder();

    private record PendingCall(TwinId target, String name, CompletableFuture<MethodResponse> result,
                               ScheduledFuture<?> timeout) {
    }

    private DeviceManagement(Builder b) {
        this.store = b.store;
        this.clock = b.clock;
        this.known = b.known;
        this.owned = new CopyOnWriteArrayList<>();
        if (b.scheduler != null) {
            this.scheduler = b.scheduler;
        } else {
            ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, daemon("edgefn-management-timer"));
            s.setRemoveOnCancelPolicy(true);
            this.scheduler = s;
            owned.add(s::shutdownNow);
        }
        if (b.io != null) {
            this.io = b.io;
        } else {
            ExecutorService e = Executors.newSingleThreadExecutor(daemon("edgefn-management-io"));
            this.io = e;
            owned.add(e::shutdownNow);
        }
        this.c2d = new CloudToDeviceQueues(b.c2dCapacity, clock, scheduler, id -> channels.get(TwinId.device(id)));
    }

    /** A builder; every setting has a default. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ twins

    /** The gateway's copy of {@code id}'s twin. Never blocks. */
    public TwinDocument twin(TwinId id) {
        return store.get(Objects.requireNonNull(id, "id"));
    }

    /**
     * Applies a reported-properties merge patch to {@code id}'s twin (durably) and passes it on to
     * the {@link ReportedListener}s; completes with the new twin, or fails with a
     * {@link TwinException} (400 malformed, 413 too large) leaving the twin unchanged.
     */
    public CompletableFuture<TwinDocument> patchReported(TwinId id, byte[] patch) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(patch, "patch");
        return CompletableFuture.supplyAsync(() -> {
            TwinDocument next = store.patchReported(id, patch);
            reportedPatches.increment();
            for (ReportedListener l : reportedListeners) {
                try {
                    l.reportedPatched(id, patch, next.reportedVersion());
                } catch (RuntimeException e) {
                    LOG.error("management: a reported-patch listener failed for {}", id, e);
                }
            }
            return next;
        }, io);
    }

    /**
     * Applies a desired-properties patch from the cloud with version {@code version}: if newer
     * than the twin's, it is stored, published to the identity's connection (if it subscribed to
     * desired updates) and given to its {@link ManagedTarget}; completes with true. An older or
     * duplicate version is ignored (counted) and completes with false.
     */
    public CompletableFuture<Boolean> applyDesired(TwinId id, byte[] patch, long version) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(patch, "patch");
        return CompletableFuture.supplyAsync(() -> {
            Optional<TwinDocument> applied = store.applyDesired(id, patch, version);
            if (applied.isEmpty()) {
                return false;
            }
            desiredPatches.increment();
            ObjectNode body = Json.parseObject(patch, "the desired properties patch");
            body.remove(TwinDocument.VERSION);
            byte[] bare = Json.bytes(body);
            body.put(TwinDocument.VERSION, version);
            DeviceChannel channel = channels.get(id);
            if (channel != null && channel.subscribed(DeviceChannel.Feature.DESIRED)) {
                channel.sendDesired(Json.bytes(body), version);
            }
            ManagedTarget target = targets.get(id);
            if (target != null) {
                try {
                    target.desiredPropertiesChanged(applied.get(), bare, version);
                } catch (Throwable t) {
                    LOG.error("management: target {} failed on a desired patch (version {})", id, version, t);
                }
            }
            return true;
        }, io);
    }

    /** Registers {@code listener} for every reported patch applied from now on. */
    public void onReportedPatch(ReportedListener listener) {
        reportedListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    // ------------------------------------------------------------------ methods

    /**
     * Invokes direct method {@code name} on {@code target}: a registered {@link ManagedTarget}, or
     * the target's connection if it subscribed to methods. Never fails: completes with the
     * target's answer, or 404 (unknown, disconnected or not subscribed target), 504 (no answer
     * within {@code timeout}), 413 (payload over {@value #MAX_METHOD_PAYLOAD_BYTES} bytes), 400
     * (payload not JSON).
     *
     * @param timeout how long to wait, clamped to 5–300 s (a clamp is logged); null for 30 s
     */
    public CompletableFuture<MethodResponse> invokeMethod(TwinId target, String name, byte[] jsonPayload, Duration timeout) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(name, "name");
        byte[] payload = jsonPayload == null ? new byte[0] : jsonPayload;
        Duration wait = clampTimeout(target, name, timeout);
        methodsInvoked.increment();
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('+') >= 0 || name.indexOf('#') >= 0) {
            return CompletableFuture.completedFuture(MethodResponse.error(400, "method name '" + name + "' cannot be a topic level"));
        }
        if (payload.length > MAX_METHOD_PAYLOAD_BYTES) {
            return CompletableFuture.completedFuture(MethodResponse.error(413, "the payload of " + payload.length
                    + " bytes is over the limit of " + MAX_METHOD_PAYLOAD_BYTES + " bytes"));
        }
        if (payload.length > 0) {
            try {
                Json.MAPPER.readTree(payload);
            } catch (java.io.IOException e) {
                return CompletableFuture.completedFuture(MethodResponse.error(400, "the payload is not JSON"));
            }
        }
        ManagedTarget managed = targets.get(target);
        DeviceChannel channel = channels.get(target);
        if (managed == null && (channel == null || !channel.subscribed(DeviceChannel.Feature.METHODS))) {
            return CompletableFuture.completedFuture(MethodResponse.error(404, "'" + target + "' is "
                    + (channel == null ? "not connected" : "connected but not subscribed to methods")));
        }
        String rid = Long.toHexString(nextRid.incrementAndGet());
        CompletableFuture<MethodResponse> result = new CompletableFuture<>();
        ScheduledFuture<?> timer = scheduler.schedule(() -> timedOut(rid), wait.toMillis(), TimeUnit.MILLISECONDS);
        calls.put(rid, new PendingCall(target, name, result, timer));
        if (managed != null) {
            io.execute(() -> callTarget(managed, target, name, payload, rid));
        } else {
            channel.sendMethod(name, rid, payload);
        }
        return result;
    }

    private void callTarget(ManagedTarget managed, TwinId target, String name, byte[] payload, String rid) {
        CompletionStage<MethodResponse> answer;
        try {
            answer = Objects.requireNonNull(managed.invokeMethod(name, payload), "invokeMethod returned null");
        } catch (Throwable t) {
            LOG.error("management: target {} failed in method '{}'", target, name, t);
            answer = CompletableFuture.completedFuture(MethodResponse.error(500, "the method failed: " + t));
        }
        answer.whenComplete((r, t) -> answered(target, rid, t == null ? r
                : MethodResponse.error(500, "the method failed: " + t)));
    }

    /**
     * The edge hub: {@code from} answered request {@code rid} with {@code status}. An answer from
     * another identity than the one asked, or after the timeout, is ignored.
     */
    public void methodResponse(TwinId from, String rid, int status, byte[] payload) {
        answered(from, rid, new MethodResponse(status, payload == null ? new byte[0] : payload));
    }

    private void answered(TwinId from, String rid, MethodResponse response) {
        PendingCall call = calls.get(rid);
        if (call == null || !call.target.equals(from) || !calls.remove(rid, call)) {
            LOG.debug("management: ignored an answer from {} to request {}: none such is waiting", from, rid);
            return;
        }
        call.timeout.cancel(false);
        call.result.complete(response);
    }

    private void timedOut(String rid) {
        PendingCall call = calls.remove(rid);
        if (call != null) {
            methodsTimedOut.increment();
            call.result.complete(MethodResponse.error(504, "'" + call.target + "' did not answer method '" + call.name
                    + "' in time"));
        }
    }

    private Duration clampTimeout(TwinId target, String name, Duration timeout) {
        if (timeout == null) {
            return DEFAULT_METHOD_TIMEOUT;
        }
        Duration clamped = timeout.compareTo(MIN_METHOD_TIMEOUT) < 0 ? MIN_METHOD_TIMEOUT
                : timeout.compareTo(MAX_METHOD_TIMEOUT) > 0 ? MAX_METHOD_TIMEOUT : timeout;
        if (!clamped.equals(timeout)) {
            LOG.info("management: method '{}' on {}: timeout {} s clamped to {} s (methods wait 5-300 s)", name, target,
                    timeout.toMillis() / 1000.0, clamped.toSeconds());
        }
        return clamped;
    }

    // ------------------------------------------------------------------ cloud-to-device

    /**
     * Sends {@code message} to device {@code deviceId} on its {@code devicebound} topic: at once if
     * it is connected and subscribed, else when it is; held meanwhile in a bounded queue (the
     * oldest dropped when full) for at most {@code ttl}. Completes on the device's PUBACK; fails
     * with a {@link TwinException}: 404 for an unknown device, 503 dropped from a full queue, 504
     * expired.
     */
    public CompletableFuture<Void> sendToDevice(String deviceId, Message message, Duration ttl) {
        TwinId id = TwinId.device(deviceId);
        Objects.requireNonNull(message, "message");
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        }
        if (!known.test(id) && !channels.containsKey(id)) {
            return CompletableFuture.failedFuture(new TwinException(404, "no device '" + deviceId + "' in this gateway"));
        }
        return c2d.offer(deviceId, message, ttl);
    }

    // ------------------------------------------------------------------ targets

    /**
     * Registers {@code target} as the one serving {@code id}'s methods and hearing its desired
     * patches (a function: {@code TwinId.module(gatewayId, functionName)}); it replaces any
     * earlier registration of {@code id}. Close the returned handle to unregister.
     */
    public AutoCloseable register(TwinId id, ManagedTarget target) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        targets.put(id, target);
        return () -> targets.remove(id, target);
    }

    // ------------------------------------------------------------------ the hub's side

    /** The edge hub: {@code id} connected on {@code channel} (replacing any older connection). */
    public void connected(TwinId id, DeviceChannel channel) {
        channels.put(id, Objects.requireNonNull(channel, "channel"));
        subscriptionsChanged(id, channel);
    }

    /** The edge hub: {@code channel}'s subscriptions changed; waiting messages may go now. */
    public void subscriptionsChanged(TwinId id, DeviceChannel channel) {
        if (id.moduleId() == null && channels.get(id) == channel) {
            c2d.pump(id.deviceId());
        }
    }

    /** The edge hub: {@code channel} closed; calls waiting on it are answered 404 at once. */
    public void disconnected(TwinId id, DeviceChannel channel) {
        if (!channels.remove(id, channel)) {
            return;
        }
        for (Map.Entry<String, PendingCall> e : calls.entrySet()) {
            PendingCall call = e.getValue();
            if (call.target.equals(id) && !targets.containsKey(id) && calls.remove(e.getKey(), call)) {
                call.timeout.cancel(false);
                call.result.complete(MethodResponse.error(404, "'" + id + "' disconnected before answering"));
            }
        }
    }

    /** Whether {@code id} is connected now. */
    public boolean isConnected(TwinId id) {
        return channels.containsKey(id);
    }

    /** A snapshot of the counters. */
    public ManagementStats stats() {
        return new ManagementStats(channels.size(), targets.size(), reportedPatches.sum(), desiredPatches.sum(),
                store.staleDesiredPatches(), methodsInvoked.sum(), methodsTimedOut.sum(), calls.size(), c2d.waiting(),
                c2d.delivered.sum(), c2d.droppedFull.sum(), c2d.expired.sum());
    }

    /** The clock the facade runs on. */
    InstantSource clock() {
        return clock;
    }

    /** Stops the executors it made itself; waiting calls stay unanswered. Idempotent. */
    @Override
    public void close() {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("management: close: {}", e.toString());
            }
        }
        owned.clear();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Configures a {@link DeviceManagement}. Not thread-safe. */
    public static final class Builder {
        private TwinStore store;
        private InstantSource clock = InstantSource.system();
        private ScheduledExecutorService scheduler;
        private Executor io;
        private Predicate<TwinId> known = id -> true;
        private int c2dCapacity = DEFAULT_C2D_CAPACITY;

        private Builder() {
        }

        /** Where twins are kept (default: in memory). */
        public Builder store(TwinStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The clock for times to live (default: the system's). */
        public Builder clock(InstantSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Runs timeouts and expiries (default: a daemon thread of its own, stopped by {@link #close()}). */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Runs twin writes, listeners and targets (default: a daemon thread of its own). */
        public Builder ioExecutor(Executor io) {
            this.io = Objects.requireNonNull(io, "io");
            return this;
        }

        /** Which devices may receive cloud-to-device messages while disconnected (default: any). */
        public Builder knownIdentities(Predicate<TwinId> known) {
            this.known = Objects.requireNonNull(known, "known");
            return this;
        }

        /** Cloud-to-device messages held per device (default {@value DeviceManagement#DEFAULT_C2D_CAPACITY}). */
        public Builder c2dCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("c2dCapacity must be at least 1, was " + capacity);
            }
            this.c2dCapacity = capacity;
            return this;
        }

        /** The facade. */
        public DeviceManagement build() {
            if (store == null) {
                store = TwinStore.inMemory();
            }
            return new DeviceManagement(this);
        }
    }
}
