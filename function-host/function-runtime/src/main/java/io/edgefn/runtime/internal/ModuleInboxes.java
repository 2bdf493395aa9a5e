package io.edgefn.runtime.internal;

import io.edgefn.routes.CompiledRoute;
import io.edgefn.routes.RouteTable;
import io.edgefn.routes.Sink;
import io.edgefn.runtime.ModuleInbox;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The inboxes of a deployment's external modules, opened once when the host starts: for every
 * module input a route reaches, one in memory for its ordinary routes and one on disk for its
 * durable routes. The edge hub drains them ({@link io.edgefn.runtime.EdgeHost#moduleInboxes}).
 *
 * <p>Immutable after {@link #open}; the inboxes themselves are thread-safe.
 */
final class ModuleInboxes implements AutoCloseable {

    /** No external modules. */
    static final ModuleInboxes NONE = new ModuleInboxes(Map.of(), Map.of());

    private final Map<String, MemoryModuleInbox> memory;
    private final Map<String, DurableModuleInbox> durable;

    private ModuleInboxes(Map<String, MemoryModuleInbox> memory, Map<String, DurableModuleInbox> durable) {
        this.memory = memory;
        this.durable = durable;
    }

    /**
     * Opens an inbox for every input of {@code modules} that a route of {@code table} reaches;
     * durable ones under {@code root}/{module}/{input}.
     */
    static ModuleInboxes open(RouteTable table, Set<String> modules, Path root, int capacity, long defaultTimeToLiveSecs,
                              InstantSource clock) {
        Map<String, MemoryModuleInbox> memory = new LinkedHashMap<>();
        Map<String, DurableModuleInbox> durable = new LinkedHashMap<>();
        try {
            for (CompiledRoute route : table.routes()) {
                if (route.sink() instanceof Sink.FunctionInput in && modules.contains(in.moduleId())) {
                    if (route.durable()) {
                        if (!durable.containsKey(in.address())) {
                            durable.put(in.address(), DurableModuleInbox.open(root, in.moduleId(), in.input(), clock,
                                    defaultTimeToLiveSecs));
                        }
                    } else {
                        memory.computeIfAbsent(in.address(), a -> new MemoryModuleInbox(in.moduleId(), in.input(), capacity,
                                defaultTimeToLiveSecs, clock));
                    }
                }
            }
        } catch (RuntimeException e) {
            durable.values().forEach(DurableModuleInbox::close);
            throw e;
        }
        return new ModuleInboxes(memory, durable);
    }

    /** The sink for {@code address}, durable or not, or null when no inbox was opened for it. */
    MessageSink sinkFor(String address, boolean durableRoute) {
        return durableRoute ? durable.get(address) : memory.get(address);
    }

    /** Every inbox of {@code moduleId}: the in-memory ones, then the durable ones. */
    List<ModuleInbox> of(String moduleId) {
        List<ModuleInbox> out = new ArrayList<>();
        memory.values().stream().filter(i -> i.moduleId().equals(moduleId)).forEach(out::add);
        durable.values().stream().filter(i -> i.moduleId().equals(moduleId)).forEach(out::add);
        return out;
    }

    /** Every inbox. */
    List<ModuleInbox> all() {
        List<ModuleInbox> out = new ArrayList<>(memory.values());
        out.addAll(durable.values());
        return out;
    }

    @Override
    public void close() {
        durable.values().forEach(DurableModuleInbox::close);
    }
}
