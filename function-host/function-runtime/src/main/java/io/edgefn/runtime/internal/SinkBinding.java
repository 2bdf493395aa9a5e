package io.edgefn.runtime.internal;

import io.edgefn.routes.CompiledRoute;
import io.edgefn.routes.RouteTable;
import io.edgefn.routes.Sink;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Decides, once per route when a deployment is loaded, which {@link MessageSink} the route's
 * target is in this host: {@code $upstream} → the upstream store; a function's input → its
 * durable input when the route is marked durable, else its queue; an input of anything else → an
 * external module's inbox (on disk when the route is durable). One sink per address is shared by every route that reaches it.
 */
final class SinkBinding {

    private SinkBinding() {
    }

    /** The route graph of {@code table} over these parts of the host. */
    static RouteGraph bind(RouteTable table, Map<String, FunctionRuntime> functions, Map<String, DurableInput> durableInputs,
                           UpstreamStore upstream, Duration queueWait) {
        return bind(table, functions, durableInputs, upstream, queueWait, ModuleInboxes.NONE);
    }

    /** The route graph of {@code table} over these parts of the host, with the inboxes of its external modules. */
    static RouteGraph bind(RouteTable table, Map<String, FunctionRuntime> functions, Map<String, DurableInput> durableInputs,
                           UpstreamStore upstream, Duration queueWait, ModuleInboxes modules) {
        Map<String, MessageSink> inMemory = new HashMap<>();
        return RouteGraph.bind(table, (CompiledRoute route) -> switch (route.sink()) {
            case Sink.Upstream u -> upstream;
            case Sink.FunctionInput in -> {
                FunctionRuntime function = functions.get(in.moduleId());
                if (function == null) {
                    MessageSink inbox = modules.sinkFor(in.address(), route.durable());
                    yield inbox != null ? inbox
                            : inMemory.computeIfAbsent(in.address(), a -> new UnconnectedModuleSink(in.moduleId(), a));
                }
                DurableInput durable = route.durable() ? durableInputs.get(in.address()) : null;
                yield durable != null ? durable
                        : inMemory.computeIfAbsent(in.address(), a -> new FunctionInputSink(function, in.input(), a, queueWait));
            }
        }, functions.keySet());
    }
}
