package io.edgefn.runtime.internal;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.deploy.Deployment;
import io.edgefn.deploy.DeploymentException;
import io.edgefn.index.FunctionIndex;
import io.edgefn.deploy.ExternalModule;
import io.edgefn.index.FunctionDescriptor;
import io.edgefn.index.MethodDescriptor;
import io.edgefn.index.TriggerDescriptor;
import io.edgefn.deploy.FunctionPackage;
import io.edgefn.deploy.PackageException;
import io.edgefn.deploy.PackageFetcher;
import io.edgefn.deploy.PackageStore;
import io.edgefn.deploy.PackageRef;
import io.edgefn.deploy.RouteEntry;
import io.edgefn.routes.CompiledRoute;
import io.edgefn.routes.Endpoints;
import io.edgefn.routes.RouteCompiler;
import io.edgefn.routes.RouteSpec;
import io.edgefn.routes.RouteTable;
import io.edgefn.routes.Sink;
import io.edgefn.runtime.HostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A deployment checked whole before anything of it runs: every package opened and verified (hash,
 * function index, no calls that could stop the host), function names unique across packages,
 * and the routes compiled against the functions and modules the deployment really has.
 *
 * <p>Opening a package reads its index; no user class is loaded here. Immutable once built.
 */
public final class DeploymentPlan {

    /** One function of the deployment and the package that holds it. */
    public record PlannedFunction(String packageName, FunctionPackage functionPackage, FunctionDescriptor descriptor) {
    }

    private final Deployment deployment;
    private final Map<String, FunctionPackage> packages;
    private final Map<String, PlannedFunction> functions;
    private List<String> routeWarnings = List.of();

    private DeploymentPlan(Deployment deployment, Map<String, FunctionPackage> packages,
                           Map<String, PlannedFunction> functions) {
        this.deployment = deployment;
        this.packages = packages;
        this.functions = functions;
    }

    /**
     * Opens and verifies every package of {@code deployment}; a {@link HostException} lists every
     * problem of every package at once.
     */
    public static DeploymentPlan inspect(Deployment deployment) {
        return inspect(deployment, null);
    }

    /**
     * As {@link #inspect(Deployment)}, but each package jar is first kept in the host's
     * content-addressed {@link PackageStore} in {@code staging} (its {@code packages/} directory):
     * a local file is copied in (unless an intact copy with its hash is there already), a
     * {@code url} package is fetched ({@link PackageFetcher}; not when the store holds it, so it
     * deploys offline). The store's copy is verified and later loaded: a jar replaced on disk after
     * it was checked can never run unchecked code, and history never depends on the user's file.
     * {@code staging} null checks local files in place and fetches {@code url} packages into a
     * temporary store that is deleted before this returns (nothing of such a plan may be loaded).
     */
    public static DeploymentPlan inspect(Deployment deployment, java.nio.file.Path staging) {
        return inspect(deployment, staging, PackageFetcher.create(PackageFetcher.Options.defaults()));
    }

    /** As {@link #inspect(Deployment, java.nio.file.Path)}, fetching {@code url} packages with {@code fetcher}. */
    public static DeploymentPlan inspect(Deployment deployment, java.nio.file.Path staging, PackageFetcher fetcher) {
        boolean fetches = deployment.packages().values().stream().anyMatch(r -> r.url() != null);
        if (staging != null || !fetches) {
            return inspect(deployment, staging, fetcher, staging);
        }
        java.nio.file.Path temporary;
        try {
            temporary = java.nio.file.Files.createTempDirectory("edgefn-packages");
        } catch (java.io.IOException e) {
            throw new HostException("cannot make a temporary directory to fetch packages into: " + e.getMessage(), e);
        }
        try {
            return inspect(deployment, null, fetcher, temporary);
        } finally {
            deleteTree(temporary);
        }
    }

    private static void deleteTree(java.nio.file.Path root) {
        try (var files = java.nio.file.Files.walk(root)) {
            for (java.nio.file.Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // A temporary directory; the OS cleans it eventually.
        }
    }

    /**
     * {@code staging} null: local files are checked in place; {@code fetchInto}: where {@code url}
     * packages are stored (the staging store, or a temporary one).
     */
    private static DeploymentPlan inspect(Deployment deployment, java.nio.file.Path staging, PackageFetcher fetcher,
                                          java.nio.file.Path fetchInto) {
        List<String> problems = new ArrayList<>();
        Map<String, FunctionPackage> packages = new LinkedHashMap<>();
        Map<String, PlannedFunction> functions = new LinkedHashMap<>();
        PackageStore store = null;
        for (PackageRef ref : deployment.packages().values()) {
            FunctionPackage pkg;
            if (ref.file() == null) {
                String shown = ref.name() + " (" + ref.url() + ")";
                try {
                    if (store == null) {
                        store = PackageStore.open(fetchInto);
                    }
                    java.nio.file.Path jar = fetcher.fetch(ref, deployment.baseDirectory(), store);
                    pkg = FunctionPackage.open(jar, ref.sha256(), shown);
                } catch (PackageException e) {
                    problems.add("packages." + ref.name() + ".url: " + e.getMessage());
                    continue;
                }
            } else {
                // Messages name the file as the user wrote it (and where that is), never the host's
                // stored copy: route-check and run then say the same thing about the same package.
                java.nio.file.Path source = deployment.resolve(ref);
                String shown = ref.file().equals(source.toString()) ? ref.file() : ref.file() + " (" + source + ")";
                try {
                    java.nio.file.Path jar = source;
                    if (staging != null) {
                        if (store == null) {
                            store = PackageStore.open(staging);
                        }
                        // put() refuses what is not a regular file within the limit, hashes it, and
                        // reuses an intact stored copy; open() hashes the stored copy once more.
                        String sha = store.put(source, shown, ref.sha256());
                        jar = store.path(sha);
                        pkg = FunctionPackage.open(jar, sha, shown);
                    } else {
                        pkg = FunctionPackage.open(jar, ref.sha256(), shown);
                    }
                } catch (PackageException e) {
                    problems.add("packages." + ref.name() + ".file: " + e.getMessage());
                    continue;
                }
            }
            packages.put(ref.name(), pkg);
            for (FunctionDescriptor f : pkg.index().functions()) {
                functions.putIfAbsent(f.name(), new PlannedFunction(ref.name(), pkg, f));
            }
        }
        if (problems.isEmpty()) {
            // Function names unique across packages, modules not named like functions, desired
            // properties only for what exists: the deployment checks itself against the indexes.
            Map<String, FunctionIndex> indexes = new LinkedHashMap<>();
            packages.forEach((name, pkg) -> indexes.put(name, pkg.index()));
            try {
                deployment.checkAgainst(indexes);
            } catch (DeploymentException e) {
                e.problems().forEach(p -> problems.add(p.toString()));
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(deviceEventProblems(deployment, functions));
        }
        if (!problems.isEmpty()) {
            throw new HostException("deployment " + deployment.origin() + " cannot be loaded", problems);
        }
        return new DeploymentPlan(deployment, packages, functions);
    }

    /** Each {@code @DeviceEventTrigger} for a device the deployment does not have, or whose route name is taken. */
    private static List<String> deviceEventProblems(Deployment deployment, Map<String, PlannedFunction> functions) {
        List<String> problems = new ArrayList<>();
        Set<String> routeNames = new HashSet<>();
        deployment.routes().forEach(r -> routeNames.add(r.name()));
        for (PlannedFunction f : functions.values()) {
            for (MethodDescriptor m : f.descriptor().methods()) {
                if (m.trigger() instanceof TriggerDescriptor.DeviceEvent event) {
                    String where = "packages." + f.packageName() + ": function " + f.descriptor().name() + " method "
                            + m.name() + " has @DeviceEventTrigger(device = \"" + event.device() + "\")";
                    if (!deployment.devices().containsKey(event.device())) {
                        problems.add(where + ", but the deployment's devices have no '" + event.device() + "' (they are "
                                + (deployment.devices().isEmpty() ? "none" : String.join(", ", deployment.devices().keySet()))
                                + "): add the device under \"devices\", or deploy the function where it is");
                    } else if (routeNames.contains(event.routeName(f.descriptor().name()))) {
                        problems.add(where + ", whose generated route is named '" + event.routeName(f.descriptor().name())
                                + "', but the deployment has a route of that name: rename the route");
                    }
                }
            }
        }
        return problems;
    }

    /**
     * The routes the functions' {@code @DeviceEventTrigger}s generate, in function and method order:
     * each device's messages to the function's generated input {@code device.<device>}.
     */
    public List<GeneratedRoute> generatedRoutes() {
        List<GeneratedRoute> routes = new ArrayList<>();
        for (PlannedFunction f : functions.values()) {
            for (MethodDescriptor m : f.descriptor().methods()) {
                if (m.trigger() instanceof TriggerDescriptor.DeviceEvent event) {
                    String function = f.descriptor().name();
                    routes.add(new GeneratedRoute(RouteSpec.of(event.routeName(function), event.routeText(function)),
                            function, m.name(), "@DeviceEventTrigger(device = \"" + event.device() + "\")"));
                }
            }
        }
        return routes;
    }

    /**
     * A route the host adds to the deployment's own, generated from a function's trigger.
     *
     * @param spec     the route
     * @param function the function whose trigger asks for it
     * @param method   the trigger's method
     * @param trigger  the trigger as written, e.g. {@code @DeviceEventTrigger(device = "pump-01")}
     */
    public record GeneratedRoute(RouteSpec spec, String function, String method, String trigger) {
    }

    /** The deployment. */
    public Deployment deployment() {
        return deployment;
    }

    /** Every function, by name. */
    public Map<String, PlannedFunction> functions() {
        return functions;
    }

    /** Every opened package, by the deployment's name for it. */
    public Map<String, FunctionPackage> packages() {
        return packages;
    }

    /**
     * Compiles the routes — the deployment's own, then those its functions' triggers generate
     * ({@link #generatedRoutes()}) — against this deployment's functions and modules; throws
     * {@link io.edgefn.routes.RouteCompilationException} with every problem of every route.
     */
    public RouteTable compileRoutes() {
        List<RouteSpec> specs = new ArrayList<>();
        for (RouteEntry r : deployment.routes()) {
            specs.add(new RouteSpec(r.name(), r.text(), r.priority() == null ? RouteSpec.DEFAULT_PRIORITY : r.priority(),
                    r.timeToLiveSecs(), r.durable()));
        }
        generatedRoutes().forEach(g -> specs.add(g.spec()));
        RouteTable table = RouteCompiler.create().compileTable(specs, endpoints());
        routeWarnings = table.warnings().stream().map(Object::toString).toList();
        return table;
    }

    /** Warnings of the last {@link #compileRoutes()}. */
    public List<String> routeWarnings() {
        return routeWarnings;
    }

    /** What the routes may address: this deployment's functions and external modules. */
    public Endpoints endpoints() {
        Map<String, ExternalModule> modules = deployment.modules();
        return new Endpoints() {
            @Override
            public boolean hasModule(String id) {
                return functions.containsKey(id) || modules.containsKey(id);
            }

            @Override
            public Set<String> inputs(String moduleId) {
                PlannedFunction f = functions.get(moduleId);
                if (f != null) {
                    Set<String> inputs = new TreeSet<>(f.descriptor().inputs());
                    // Generated inputs: only the generated routes address them, yet a user's route may too.
                    f.descriptor().methods().forEach(m -> {
                        if (m.trigger() instanceof TriggerDescriptor.DeviceEvent event) {
                            inputs.add(event.input());
                        }
                    });
                    return inputs;
                }
                ExternalModule m = modules.get(moduleId);
                return m == null ? Set.of() : new TreeSet<>(m.inputs());
            }

            @Override
            public Optional<Set<String>> outputs(String moduleId) {
                PlannedFunction f = functions.get(moduleId);
                if (f == null) {
                    return Optional.empty();
                }
                Set<String> outs = new TreeSet<>(f.descriptor().outputs());
                outs.add(FunctionOutputs.DEAD_LETTER_OUTPUT);
                return Optional.of(outs);
            }
        };
    }

    /**
     * The functions on the safety path: those that command devices, and every function whose
     * outputs reach one of them through routes. They run on their own platform threads so that a
     * function spinning on the shared virtual-thread carriers cannot delay a shutdown.
     */
    public Set<String> safetyCritical(RouteTable table) {
        // feeds.get(f) = the functions that f's outputs are routed to.
        Map<String, Set<String>> feeders = new LinkedHashMap<>();
        for (PlannedFunction f : functions.values()) {
            for (String output : f.descriptor().outputs()) {
                Message probe = Message.builder()
                        .systemProperty(SystemProperties.CONNECTION_MODULE_ID, f.descriptor().name())
                        .systemProperty(SystemProperties.OUTPUT_NAME, output)
                        .build();
                for (CompiledRoute route : table.routes()) {
                    // Conditions are ignored on purpose: a route that can carry this output at all
                    // puts its target on the safety path.
                    if (route.matchesSource(probe.source()) && route.sink() instanceof Sink.FunctionInput in
                            && functions.containsKey(in.moduleId())) {
                        feeders.computeIfAbsent(in.moduleId(), k -> new HashSet<>()).add(f.descriptor().name());
                    }
                }
            }
        }
        Set<String> critical = new TreeSet<>();
        Deque<String> work = new ArrayDeque<>();
        functions.values().stream().filter(f -> f.descriptor().usesDeviceCommands())
                .forEach(f -> work.add(f.descriptor().name()));
        while (!work.isEmpty()) {
            String f = work.poll();
            if (critical.add(f)) {
                work.addAll(feeders.getOrDefault(f, Set.of()));
            }
        }
        return critical;
    }
}
