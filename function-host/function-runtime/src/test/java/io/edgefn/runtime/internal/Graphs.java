package io.edgefn.runtime.internal;

import io.edgefn.routes.CompiledRoute;
import io.edgefn.routes.Endpoints;
import io.edgefn.routes.RouteCompiler;
import io.edgefn.routes.RouteSpec;
import io.edgefn.routes.RouteTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Route graphs over {@link RecordingSink}s, one per sink address, for the graph and ingress tests. */
final class Graphs {

    final Map<String, RecordingSink> sinks = new LinkedHashMap<>();
    final RouteGraph graph;

    /**
     * Compiles the routes (name, text, name, text …) where every module
     * and input exists, and binds each route to a recording sink named by its address.
     */
    Graphs(Set<String> functions, String... namesAndRoutes) {
        this(functions, specs(namesAndRoutes));
    }

    private static List<RouteSpec> specs(String... namesAndRoutes) {
        List<RouteSpec> specs = new ArrayList<>();
        for (int i = 0; i < namesAndRoutes.length; i += 2) {
            specs.add(RouteSpec.of(namesAndRoutes[i], namesAndRoutes[i + 1]));
        }
        return specs;
    }

    /** As above, with the routes' priorities and times to live given. */
    Graphs(Set<String> functions, List<RouteSpec> specs) {
        RouteTable table = RouteCompiler.create().compileTable(specs, new Endpoints() {
            @Override
            public boolean hasModule(String id) {
                return true;
            }

            @Override
            public Set<String> inputs(String moduleId) {
                return Set.of("in", "alerts", "readings");
            }

            @Override
            public Optional<Set<String>> outputs(String moduleId) {
                return Optional.empty();
            }
        });
        graph = RouteGraph.bind(table, (CompiledRoute r) -> sinks.computeIfAbsent(r.sink().address(), RecordingSink::new),
                functions);
    }

    RecordingSink sink(String address) {
        return sinks.get(address);
    }
}
