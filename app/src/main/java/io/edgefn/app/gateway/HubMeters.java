package io.edgefn.app.gateway;

import io.edgefn.buffer.BufferStats;
import io.edgefn.buffer.OfflineBuffer;
import io.edgefn.hub.EdgeHub;
import io.edgefn.hub.HubStats;
import io.edgefn.hub.RefusalReason;
import io.edgefn.hub.twin.DeviceManagement;
import io.edgefn.hub.twin.ManagementStats;
import io.edgefn.runtime.EdgeHost;
import io.edgefn.runtime.UpstreamRecords;
import io.edgefn.upstream.UpstreamLink;
import io.edgefn.upstream.UpstreamState;
import io.edgefn.upstream.UpstreamStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The edge hub's and the upstream link's meters, under IoT Edge's edgeHub names where one means
 * the same thing (docs/metrics.md says which, and which of edgeHub's are not exposed and why).
 * Every meter reads the hub's, the link's or the host's own counters when Prometheus scrapes, so
 * a message pays nothing for them; the parts may be absent (not started yet, no upstream
 * configured), and then read as zero.
 *
 * <p>edgeHub splits most of these by client ({@code id}); edgefn's hub keeps totals, so they
 * carry no {@code id} label. Bound once, by the host, when its management API starts; read on its
 * event loop.
 */
final class HubMeters implements MeterBinder {

    /** The refusals that are failed connects (edgeHub's {@code edgehub_client_connect_failed_total}). */
    private static final List<RefusalReason> CONNECT_REFUSALS = List.of(RefusalReason.NOT_AUTHORIZED,
            RefusalReason.SERVER_FULL, RefusalReason.CONNECT_TIMEOUT);

    private final Supplier<EdgeHub> hub;
    private final Supplier<UpstreamLink> upstream;
    private final Supplier<DeviceManagement> management;
    private final Supplier<EdgeHost> host;

    HubMeters(Supplier<EdgeHub> hub, Supplier<UpstreamLink> upstream, Supplier<DeviceManagement> management,
              Supplier<EdgeHost> host) {
        this.hub = hub;
        this.upstream = upstream;
        this.management = management;
        this.host = host;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        hubCounter(registry, "edgehub.messages.received", "Messages received from clients", HubStats::messagesReceived);
        FunctionCounter.builder("edgehub.messages.sent", this, m -> upstream(UpstreamStats::sent))
                .tag("to", "$upstream").description("Messages sent upstream (acknowledged by the cloud)").register(registry);
        hubCounter(registry, "edgehub.messages.sent", "Messages sent to modules' inputs (all modules together)",
                HubStats::moduleMessagesSent, "to", "$modules");
        FunctionCounter.builder("edgehub.messages.dropped", this, m -> upstream(UpstreamStats::expiredDropped))
                .tag("reason", "ttl_expiry").description("Messages dropped unsent because their time to live passed")
                .register(registry);
        FunctionCounter.builder("edgehub.messages.dropped", this, m -> {
            EdgeHost h = host.get();
            return h == null ? 0 : h.stats().unrouted();
        }).tag("reason", "no_route").description("Messages no route matched").register(registry);
        Gauge.builder("edgehub.connected.clients", this, m -> hub(HubStats::clientsConnected))
                .description("Clients connected now").register(registry);
        hubCounter(registry, "edgehub.client.connect.success", "Clients that completed CONNECT", HubStats::clientConnects);
        hubCounter(registry, "edgehub.client.disconnect", "Connected clients whose connection ended",
                HubStats::clientDisconnects);
        for (RefusalReason reason : CONNECT_REFUSALS) {
            hubCounter(registry, "edgehub.client.connect.failed", "Clients refused at CONNECT, by reason",
                    s -> s.refused(reason), "reason", reason.name().toLowerCase(Locale.ROOT));
        }
        FunctionCounter.builder("edgehub.offline.count", this, m -> upstream(s -> s.connects()
                        - (s.state() == UpstreamState.CONNECTED ? 1 : 0)))
                .description("Times the upstream link went offline after being connected").register(registry);
        FunctionCounter.builder("edgehub.reported.properties", this, m -> management(ManagementStats::reportedPatches))
                .description("Reported-property patches applied").register(registry);
        FunctionCounter.builder("edgehub.direct.methods", this, m -> management(ManagementStats::methodsInvoked))
                .description("Direct method calls made").register(registry);
        for (int p = 0; p <= OfflineBuffer.DEFAULT_PRIORITY; p++) {
            int priority = p;
            Gauge.builder("edgehub.queue.length", this, m -> upstreamDepth(priority))
                    .tags("endpoint", "$upstream", "priority", Integer.toString(p))
                    .description("Messages waiting for the upstream link, by priority").register(registry);
        }
    }

    private void hubCounter(MeterRegistry registry, String name, String description, ToDoubleFunction<HubStats> read,
                            String... tags) {
        FunctionCounter.builder(name, this, m -> hub(read)).tags(tags).description(description).register(registry);
    }

    private double hub(ToDoubleFunction<HubStats> read) {
        EdgeHub h = hub.get();
        return h == null ? 0 : read.applyAsDouble(h.stats());
    }

    private double upstream(ToDoubleFunction<UpstreamStats> read) {
        UpstreamLink u = upstream.get();
        return u == null ? 0 : read.applyAsDouble(u.stats());
    }

    private double management(ToDoubleFunction<ManagementStats> read) {
        DeviceManagement d = management.get();
        return d == null ? 0 : read.applyAsDouble(d.stats());
    }

    private double upstreamDepth(int priority) {
        EdgeHost h = host.get();
        BufferStats b = h == null ? null : h.stats().buffer();
        if (b == null) {
            return 0;
        }
        for (BufferStats.CursorStats c : b.cursors()) {
            if (c.name().equals(UpstreamRecords.CURSOR)) {
                for (BufferStats.PriorityStats p : c.priorities()) {
                    if (p.priority() == priority) {
                        return p.depth();
                    }
                }
            }
        }
        return 0;
    }
}
