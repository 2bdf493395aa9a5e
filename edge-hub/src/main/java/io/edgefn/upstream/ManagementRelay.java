package io.edgefn.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.api.Message;
import io.edgefn.hub.PropertyBag;
import io.edgefn.hub.twin.DeviceManagement;
import io.edgefn.hub.twin.MethodResponse;
import io.edgefn.hub.twin.TwinId;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries device management between the cloud and {@link DeviceManagement} over the upstream
 * link: desired patches, twin reads, method calls and cloud-to-device messages down; answers and
 * reported patches up.
 *
 * <h2>Topics</h2>
 * On a plain broker ({@link UpstreamConfig.Mode#BROKER}) the IoT Hub twin and method topics,
 * which name no device, are prefixed with the identity they belong to, {@code edgefn/{deviceId}/}
 * or {@code edgefn/{deviceId}/modules/{moduleId}/}; cloud-to-device messages keep their
 * device-scoped {@code devices/{deviceId}/messages/devicebound/{bag}}. Toward Azure IoT Hub
 * ({@link UpstreamConfig.Mode#IOT_HUB}) the connection is the gateway device's: only the gateway's
 * own twin ({@code TwinId(gatewayId, null)}) and methods are carried, on the unprefixed topics; a
 * cloud-to-device message to the gateway with the application property {@value #TARGET_DEVICE} is
 * relayed to that leaf device; leaf devices' and functions' twins and methods are not carried.
 *
 * <h2>Reported patches</h2>
 * Patches are merged per identity and published at most every {@link #FLUSH_INTERVAL} and when
 * the link (re)connects; a patch the link could not publish (offline) is merged back and goes with
 * the next flush. They are kept in memory: a gateway restarted while offline does not resend them
 * (the twin itself is durable and a cloud twin GET reads it whole).
 *
 * <p>Threading: thread-safe. Paho's callback thread only queues what arrives on the relay's
 * worker; flushes run on the scheduler; the pending patches are guarded by a lock held only to
 * merge and swap maps.
 */
public final class ManagementRelay implements UpstreamLink.InboundHandler, AutoCloseable {

    /** How often reported patches go up, at most. */
    public static final Duration FLUSH_INTERVAL = Duration.ofSeconds(2);
    /** How long a cloud-to-device message from the broker waits for its device. */
    public static final Duration C2D_TTL = Duration.ofHours(1);
    /** IoT Hub mode: the application property naming the leaf device a C2D message to the gateway is for. */
    public static final String TARGET_DEVICE = "edgefn-target-device";

    private static final Logger LOG = LoggerFactory.getLogger(ManagementRelay.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DeviceManagement management;
    private final UpstreamConfig.Mode mode;
    private final String gatewayId;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService worker;
    private final Object lock = new Object();
    private Map<TwinId, ObjectNode> pending = new LinkedHashMap<>();
    private volatile BiFunction<String, byte[], CompletableFuture<Void>> publisher;
    private final AtomicLong nextRid = new AtomicLong();
    private final ScheduledFuture<?> flushing;

    private ManagementRelay(DeviceManagement management, UpstreamConfig.Mode mode, String gatewayId,
                            ScheduledExecutorService scheduler) {
        this.management = management;
        this.mode = mode;
        this.gatewayId = gatewayId;
        this.scheduler = scheduler;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "edgefn-management-relay");
            t.setDaemon(true);
            return t;
        });
        management.onReportedPatch(this::reported);
        this.flushing = scheduler.scheduleWithFixedDelay(this::flush, FLUSH_INTERVAL.toMillis(), FLUSH_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * A relay for {@code management}, gateway {@code gatewayId}, speaking {@code mode}'s topics;
     * flushes run on {@code scheduler}. Give it to {@link UpstreamLink#start} as the inbound
     * handler, then {@link #attach} the link.
     */
    public static ManagementRelay create(DeviceManagement management, UpstreamConfig.Mode mode, String gatewayId,
                                         ScheduledExecutorService scheduler) {
        return new ManagementRelay(Objects.requireNonNull(management, "management"), Objects.requireNonNull(mode, "mode"),
                Objects.requireNonNull(gatewayId, "gatewayId"), Objects.requireNonNull(scheduler, "scheduler"));
    }

    /** Publishes through {@code link} from now on, and syncs what waited. */
    public void attach(UpstreamLink link) {
        this.publisher = link::publish;
        scheduler.execute(this::flush);
    }

    @Override
    public List<String> subscriptions() {
        if (mode == UpstreamConfig.Mode.IOT_HUB) {
            return List.of("$iothub/twin/PATCH/properties/desired/#", "$iothub/methods/POST/#", "$iothub/twin/res/#",
                    "devices/" + gatewayId + "/messages/devicebound/#");
        }
        return List.of("edgefn/+/$iothub/twin/PATCH/properties/desired/#", "edgefn/+/$iothub/twin/GET/#",
                "edgefn/+/$iothub/methods/POST/#", "edgefn/+/modules/+/$iothub/twin/PATCH/properties/desired/#",
                "edgefn/+/modules/+/$iothub/twin/GET/#", "edgefn/+/modules/+/$iothub/methods/POST/#",
                "devices/+/messages/devicebound/#");
    }

    @Override
    public void connected() {
        scheduler.execute(this::flush);
    }

    @Override
    public void messageArrived(String topic, byte[] payload) {
        worker.execute(() -> {
            try {
                dispatch(topic, payload);
            } catch (RuntimeException e) {
                LOG.warn("management relay: dropped the message on '{}': {}", topic, e.getMessage());
            }
        });
    }

    // ------------------------------------------------------------------ down: cloud → gateway

    private void dispatch(String topic, byte[] payload) {
        if (topic.startsWith("devices/")) {
            cloudToDevice(topic, payload);
            return;
        }
        TwinId id;
        String prefix;
        String rest;
        if (mode == UpstreamConfig.Mode.IOT_HUB) {
            id = TwinId.device(gatewayId);
            prefix = "";
            rest = topic;
        } else {
            Addressed a = addressed(topic);
            if (a == null) {
                LOG.warn("management relay: ignored a message on '{}': not an edgefn/{{deviceId}}/… topic", topic);
                return;
            }
            id = a.id;
            prefix = a.prefix;
            rest = a.rest;
        }
        if (rest.startsWith("$iothub/twin/PATCH/properties/desired/")) {
            desired(id, rest, payload);
        } else if (rest.startsWith("$iothub/twin/GET/")) {
            String rid = parameter(rest, "$rid");
            publish(prefix + "$iothub/twin/res/200/?$rid=" + (rid == null ? "" : rid), management.twin(id).toJson());
        } else if (rest.startsWith("$iothub/methods/POST/")) {
            method(id, prefix, rest, payload);
        } else if (rest.startsWith("$iothub/twin/res/")) {
            LOG.debug("management relay: twin answer on '{}'", topic);
        } else {
            LOG.warn("management relay: ignored a message on '{}'", topic);
        }
    }

    private record Addressed(TwinId id, String prefix, String rest) {
    }

    /** Splits {@code edgefn/{d}/[modules/{m}/]$iothub/…}; null if it is not that shape. */
    static Addressed addressed(String topic) {
        if (!topic.startsWith("edgefn/")) {
            return null;
        }
        int slash = topic.indexOf('/', 7);
        if (slash < 0) {
            return null;
        }
        String device = topic.substring(7, slash);
        String after = topic.substring(slash + 1);
        String module = null;
        if (after.startsWith("modules/")) {
            int end = after.indexOf('/', 8);
            if (end < 0) {
                return null;
            }
            module = after.substring(8, end);
            after = after.substring(end + 1);
        }
        try {
            TwinId id = new TwinId(device, module);
            return new Addressed(id, prefix(id), after);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String prefix(TwinId id) {
        return "edgefn/" + id.deviceId() + "/" + (id.moduleId() == null ? "" : "modules/" + id.moduleId() + "/");
    }

    private void desired(TwinId id, String rest, byte[] payload) {
        String v = parameter(rest, "$version");
        long version;
        if (v != null) {
            version = Long.parseLong(v);
        } else {
            JsonNode inBody = readTree(payload).path("$version");
            version = inBody.isNumber() ? inBody.asLong() : management.twin(id).desiredVersion() + 1;
        }
        management.applyDesired(id, payload, version).whenComplete((applied, failure) -> {
            if (failure != null) {
                LOG.warn("management relay: desired patch version {} for {} refused: {}", version, id, cause(failure).getMessage());
            } else if (!applied) {
                LOG.info("management relay: desired patch version {} for {} ignored: the twin has version {}", version, id,
                        management.twin(id).desiredVersion());
            }
        });
    }

    private void method(TwinId id, String prefix, String rest, byte[] payload) {
        String afterPost = rest.substring("$iothub/methods/POST/".length());
        int slash = afterPost.indexOf('/');
        String name = slash < 0 ? afterPost : afterPost.substring(0, slash);
        String rid = parameter(rest, "$rid");
        String timeout = parameter(rest, "$timeout");
        Duration wait = timeout == null ? null : Duration.ofSeconds(Long.parseLong(timeout));
        management.invokeMethod(id, name, payload, wait).thenAcceptAsync(r ->
                publish(prefix + "$iothub/methods/res/" + r.status() + "/?$rid=" + (rid == null ? "" : rid), r.payload()), worker);
    }

    private void cloudToDevice(String topic, byte[] payload) {
        String[] parts = topic.split("/", 5); // devices, {id}, messages, devicebound, {bag}
        if (parts.length < 4 || !parts[2].equals("messages") || !parts[3].equals("devicebound")) {
            LOG.warn("management relay: ignored a message on '{}'", topic);
            return;
        }
        Message message = PropertyBag.decode(parts.length == 5 ? parts[4] : "").toMessage(payload);
        String device = parts[1];
        if (mode == UpstreamConfig.Mode.IOT_HUB) {
            String target = message.property(TARGET_DEVICE);
            if (target == null) {
                LOG.warn("management relay: a cloud-to-device message to the gateway without '{}' was dropped: the gateway "
                        + "itself takes none", TARGET_DEVICE);
                return;
            }
            device = target;
            message = message.toBuilder().removeProperty(TARGET_DEVICE).build();
        }
        String to = device;
        management.sendToDevice(to, message, C2D_TTL).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.warn("management relay: cloud-to-device message for '{}' not delivered: {}", to, cause(failure).getMessage());
            }
        });
    }

    // ------------------------------------------------------------------ up: reported patches

    private void reported(TwinId id, byte[] patch, long version) {
        if (mode == UpstreamConfig.Mode.IOT_HUB && !id.equals(TwinId.device(gatewayId))) {
            return; // IoT Hub carries only the gateway's own twin on its connection
        }
        ObjectNode node = (ObjectNode) readTree(patch);
        synchronized (lock) {
            ObjectNode existing = pending.get(id);
            if (existing == null) {
                pending.put(id, node);
            } else {
                combine(existing, node);
            }
        }
    }

    /** Publishes every identity's merged patch; what cannot go now waits for the next flush. */
    void flush() {
        BiFunction<String, byte[], CompletableFuture<Void>> p = publisher;
        if (p == null) {
            return;
        }
        Map<TwinId, ObjectNode> batch;
        synchronized (lock) {
            if (pending.isEmpty()) {
                return;
            }
            batch = pending;
            pending = new LinkedHashMap<>();
        }
        for (Map.Entry<TwinId, ObjectNode> e : batch.entrySet()) {
            TwinId id = e.getKey();
            String topic = (mode == UpstreamConfig.Mode.IOT_HUB ? "" : prefix(id))
                    + "$iothub/twin/PATCH/properties/reported/?$rid=" + Long.toHexString(nextRid.incrementAndGet())
                    + "&$version=" + management.twin(id).reportedVersion();
            byte[] body;
            try {
                body = MAPPER.writeValueAsBytes(e.getValue());
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
            p.apply(topic, body).whenComplete((ok, failure) -> {
                if (failure != null) {
                    requeue(id, e.getValue());
                    LOG.debug("management relay: reported patch of {} waits for the link: {}", id, failure.toString());
                }
            });
        }
    }

    private void requeue(TwinId id, ObjectNode failed) {
        synchronized (lock) {
            ObjectNode newer = pending.get(id);
            if (newer != null) {
                combine(failed, newer);
            }
            pending.put(id, failed);
        }
    }

    private void publish(String topic, byte[] payload) {
        BiFunction<String, byte[], CompletableFuture<Void>> p = publisher;
        if (p == null) {
            LOG.warn("management relay: cannot answer on '{}': no link attached", topic);
            return;
        }
        p.apply(topic, payload).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.warn("management relay: the answer on '{}' was lost: {}", topic, failure.toString());
            }
        });
    }

    /** Combines merge patch {@code later} into {@code earlier} (nulls kept, so deletions still delete). */
    static void combine(ObjectNode earlier, ObjectNode later) {
        for (Iterator<Map.Entry<String, JsonNode>> it = later.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = earlier.get(e.getKey());
            if (e.getValue().isObject() && existing != null && existing.isObject()) {
                combine((ObjectNode) existing, (ObjectNode) e.getValue());
            } else {
                earlier.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    private static JsonNode readTree(byte[] payload) {
        try {
            JsonNode n = MAPPER.readTree(payload);
            return n == null ? MAPPER.createObjectNode() : n;
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    /** The value of {@code name} in the query after the topic's {@code ?}, or null. */
    static String parameter(String topic, String name) {
        int q = topic.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : topic.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return pair.substring(eq + 1);
            }
        }
        return null;
    }

    private static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** Stops flushing and the worker. Idempotent. */
    @Override
    public void close() {
        flushing.cancel(false);
        worker.shutdownNow();
    }

    /** Identities with reported patches waiting to go up. */
    public List<TwinId> waiting() {
        synchronized (lock) {
            return new ArrayList<>(pending.keySet());
        }
    }
}
