package io.edgefn.routes;

import io.edgefn.routes.internal.Frontend;
import io.edgefn.routes.internal.Statement;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compiles IoT Edge routes with edgeHub's semantics: the module's entry point.
 *
 * <p>{@link #compile} checks one route (syntax, condition types, sink shape);
 * {@link #compileTable} checks a whole deployment's routes, and against its {@link Endpoints}
 * when given, reporting every error of every route at once. Stateless and thread-safe.
 */
public final class RouteCompiler {

    private static final RouteCompiler INSTANCE = new RouteCompiler();

    private RouteCompiler() {
    }

    /** The compiler. */
    public static RouteCompiler create() {
        return INSTANCE;
    }

    /**
     * Compiles one route, checking only its sink's shape.
     *
     * @throws RouteCompilationException with every error (and warning) of the route
     */
    public CompiledRoute compile(RouteSpec spec) {
        Objects.requireNonNull(spec, "spec");
        List<Diagnostic> diagnostics = new ArrayList<>();
        CompiledRoute route = compileOne(spec, null, diagnostics);
        if (route == null) {
            throw new RouteCompilationException(diagnostics);
        }
        return route;
    }

    /**
     * Compiles a condition on its own (what follows {@code WHERE} in a route), with the route
     * language's typing rules.
     *
     * @throws RouteCompilationException with every error of the condition, positioned in its text
     */
    public CompiledCondition compileCondition(String conditionText) {
        Objects.requireNonNull(conditionText, "conditionText");
        List<Diagnostic> diagnostics = new ArrayList<>();
        io.edgefn.routes.internal.Condition condition = io.edgefn.routes.internal.Frontend.compileCondition(conditionText, diagnostics);
        if (condition == null || diagnostics.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR)) {
            throw new RouteCompilationException(diagnostics);
        }
        return new CompiledCondition(condition);
    }

    /**
     * Compiles a deployment's routes into a table. With {@code endpoints}, a sink must name a
     * function or declared module and one of its inputs (an error otherwise), and a source naming
     * an unknown module or an output its function does not produce gets a warning.
     *
     * @param specs     the routes; names must be unique
     * @param endpoints what the deployment declares, or {@code null} to check only sink shapes
     * @throws RouteCompilationException listing every error of every route, each with its route name
     */
    public RouteTable compileTable(List<RouteSpec> specs, Endpoints endpoints) {
        Objects.requireNonNull(specs, "specs");
        List<Diagnostic> all = new ArrayList<>();
        List<CompiledRoute> routes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (RouteSpec spec : specs) {
            Objects.requireNonNull(spec, "a route spec is null");
            if (!names.add(spec.name())) {
                all.add(new Diagnostic(Diagnostic.Severity.ERROR, spec.name(), Diagnostic.Phase.SYNTAX,
                        "another route has the same name '" + spec.name() + "'", 1, 1, 1, 2));
                continue;
            }
            CompiledRoute route = compileOne(spec, endpoints, all);
            if (route != null) {
                routes.add(route);
            }
        }
        if (all.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR)) {
            throw new RouteCompilationException(all);
        }
        return new RouteTable(routes, all);
    }

    private static CompiledRoute compileOne(RouteSpec spec, Endpoints endpoints, List<Diagnostic> out) {
        List<Diagnostic> found = new ArrayList<>();
        Statement statement = Frontend.compileRoute(spec.text(), found);
        if (statement != null && endpoints != null) {
            checkEndpoints(statement, endpoints, found);
        }
        List<Diagnostic> named = found.stream().map(d -> d.withRouteName(spec.name())).toList();
        out.addAll(named);
        if (statement == null || named.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR)) {
            return null;
        }
        return new CompiledRoute(spec, statement, named);
    }

    private static void checkEndpoints(Statement statement, Endpoints endpoints, List<Diagnostic> found) {
        if (statement.sink() instanceof Sink.FunctionInput input) {
            if (!endpoints.hasModule(input.moduleId())) {
                found.add(statement.sinkDiagnostic(Diagnostic.Severity.ERROR, "the sink names module '"
                        + input.moduleId() + "', which is neither a function of this deployment nor a module it declares "
                        + "(declare external modules under \"modules\")"));
            } else if (!endpoints.inputs(input.moduleId()).contains(input.input())) {
                found.add(statement.sinkDiagnostic(Diagnostic.Severity.ERROR, "module '" + input.moduleId()
                        + "' has no input '" + input.input() + "' (its inputs: "
                        + describe(endpoints.inputs(input.moduleId())) + ")"));
            }
        }
        String source = statement.canonicalSource();
        String[] segs = source.length() <= 1 ? new String[0] : source.substring(1, source.length() - 1).split("/", -1);
        if (segs.length >= 3 && segs[0].equalsIgnoreCase("messages") && segs[1].equalsIgnoreCase("modules")) {
            String module = segs[2];
            if (!endpoints.hasModule(module)) {
                found.add(statement.sourceDiagnostic(Diagnostic.Severity.WARNING, "the source names module '" + module
                        + "', which this deployment neither runs nor declares: the route fires only if such a module connects"));
            } else if (segs.length == 5 && segs[3].equalsIgnoreCase("outputs")) {
                Optional<Set<String>> outputs = endpoints.outputs(module);
                if (outputs.isPresent() && !outputs.get().contains(segs[4])) {
                    found.add(statement.sourceDiagnostic(Diagnostic.Severity.WARNING, "function '" + module
                            + "' has no output '" + segs[4] + "' (its outputs: " + describe(outputs.get())
                            + "): the route will never fire"));
                }
            }
        }
    }

    private static String describe(Set<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", new TreeSet<>(names));
    }
}
