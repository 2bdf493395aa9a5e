package io.edgefn.benchmarks.routes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.benchmarks.results.MachineInfo;
import io.edgefn.benchmarks.results.ResultFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code edgefn bench routes}: the route JMH benchmarks ({@link RouteConditionBenchmark},
 * {@link RouteTableBenchmark}) through JMH's Runner API, three forks, with the GC profiler for
 * the bytes allocated per operation; then one JSON object as the last line of stdout — per
 * benchmark the score, its error, every fork's score, B/op (overall and per fork) — and the
 * compiled conditions' ratios to the hand-written baseline ({@link HandWritten}), saved as
 * {@code benchmarks/results/routes.json} ({@code quick/routes.json} with {@code --quick}).
 *
 * <p>JMH's own report goes to stdout before the JSON line. Exits with 2 on bad arguments, 1 when
 * the run failed. Runs on the calling thread; the forks are child JVMs.
 */
public final class RoutesBench {

    static final String USAGE = """
            usage: edgefn bench routes [--quick] [--forks N]
              --quick    2×1 s warm-up and 3×1 s measurement per fork (about 2 min) instead of 3×2 s and 5×2 s
              --forks N  JVM forks per benchmark, 1..10 (default 3)""";

    /** The route benchmarks, as JMH's include pattern. */
    static final String INCLUDE = "io\\.edgefn\\.benchmarks\\.routes\\.Route(Condition|Table)Benchmark\\.";

    private RoutesBench() {
    }

    /**
     * What one run does.
     *
     * @param quick  fewer, shorter iterations
     * @param forks  JVM forks per benchmark
     */
    record RoutesOptions(boolean quick, int forks) {

        /** Parses the arguments; throws naming the one that is wrong. */
        static RoutesOptions parse(List<String> args) {
            boolean quick = false;
            int forks = 3;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--quick" -> quick = true;
                    case "--forks" -> {
                        if (i + 1 >= args.size()) {
                            throw new IllegalArgumentException("--forks needs a number after it (argument " + (i + 1) + ")");
                        }
                        String v = args.get(++i);
                        try {
                            forks = Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--forks needs a whole number, was '" + v + "' (argument "
                                    + (i + 1) + ")");
                        }
                        if (forks < 1 || forks > 10) {
                            throw new IllegalArgumentException("--forks must be 1..10, was " + forks + " (argument " + (i + 1) + ")");
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + a + "' (argument " + (i + 1) + ")");
                }
            }
            return new RoutesOptions(quick, forks);
        }

        /** JMH's options for this run. */
        Options jmh() {
            return new OptionsBuilder()
                    .include(INCLUDE)
                    .forks(forks)
                    .warmupIterations(quick ? 2 : 3)
                    .warmupTime(TimeValue.seconds(quick ? 1 : 2))
                    .measurementIterations(quick ? 3 : 5)
                    .measurementTime(TimeValue.seconds(quick ? 1 : 2))
                    .addProfiler(GCProfiler.class)
                    .shouldFailOnError(true)
                    .build();
        }
    }

    /**
     * One benchmark's result.
     *
     * @param name          {@code Class.method}
     * @param mode          JMH's mode ({@code avgt}, {@code thrpt})
     * @param unit          the score's unit
     * @param score         the score over all forks
     * @param error         its 99.9 % error
     * @param perFork       each fork's score
     * @param bytesPerOp    {@code gc.alloc.rate.norm} over all forks, or NaN when not profiled
     * @param bytesPerOpPerFork each fork's
     */
    record Measured(String name, String mode, String unit, double score, double error, List<Double> perFork,
                    double bytesPerOp, List<Double> bytesPerOpPerFork) {
    }

    /** Runs the benchmarks with command-line {@code args}. */
    public static void main(String[] args) throws Exception {
        List<String> list = List.of(args);
        if (list.contains("--help") || list.contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        RoutesOptions options;
        try {
            options = RoutesOptions.parse(list);
        } catch (IllegalArgumentException e) {
            System.err.println("edgefn bench routes: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Instant startedAt = Instant.now();
        MachineInfo machine = MachineInfo.describe(Path.of(System.getProperty("java.io.tmpdir")));
        Collection<RunResult> results;
        try {
            results = new Runner(options.jmh()).run();
        } catch (Exception e) {
            System.err.println("edgefn bench routes: the run failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        List<Measured> measured = new ArrayList<>();
        results.forEach(r -> measured.add(measured(r)));
        Map<String, Object> result = toMap(options, measured);
        printSummary(result, System.out);
        try {
            System.err.println("routes: saved " + ResultFile.save("routes", list, options.quick(), machine, startedAt, result));
        } catch (RuntimeException e) {
            System.err.println("edgefn bench routes: " + e.getMessage());
        }
        System.out.println(new ObjectMapper().writeValueAsString(result));
    }

    private static Measured measured(RunResult r) {
        String full = r.getParams().getBenchmark();
        String name = full.substring(full.lastIndexOf('.', full.lastIndexOf('.') - 1) + 1);
        Result<?> primary = r.getPrimaryResult();
        List<Double> perFork = new ArrayList<>();
        List<Double> allocPerFork = new ArrayList<>();
        for (BenchmarkResult fork : r.getBenchmarkResults()) {
            perFork.add(fork.getPrimaryResult().getScore());
            Result<?> alloc = allocation(fork.getSecondaryResults());
            allocPerFork.add(alloc == null ? Double.NaN : alloc.getScore());
        }
        Result<?> alloc = allocation(r.getSecondaryResults());
        return new Measured(name, r.getParams().getMode().shortLabel(), primary.getScoreUnit(), primary.getScore(),
                primary.getScoreError(), perFork, alloc == null ? Double.NaN : alloc.getScore(), allocPerFork);
    }

    private static Result<?> allocation(Map<String, Result> secondary) {
        for (Map.Entry<String, Result> e : secondary.entrySet()) {
            if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * The run's result as plain JSON values: every benchmark, the compiled conditions' ratios to
     * the hand-written ones (time per operation, compiled ÷ hand-written; above 1 is slower) and
     * the targets.
     */
    static Map<String, Object> toMap(RoutesOptions options, List<Measured> measured) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("benchmark", "routes");
        j.put("forks", options.forks());
        j.put("warmup", options.quick() ? "2 x 1 s" : "3 x 2 s");
        j.put("measurement", options.quick() ? "3 x 1 s" : "5 x 2 s");
        j.put("profiler", "gc");
        Map<String, Object> all = new LinkedHashMap<>();
        Map<String, Measured> byName = new LinkedHashMap<>();
        for (Measured m : measured) {
            byName.put(m.name(), m);
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("mode", m.mode());
            b.put("unit", m.unit());
            b.put("score", round(m.score()));
            b.put("error", round(m.error()));
            b.put("perFork", m.perFork().stream().map(RoutesBench::round).toList());
            b.put("bytesPerOp", round(m.bytesPerOp()));
            b.put("bytesPerOpPerFork", m.bytesPerOpPerFork().stream().map(RoutesBench::round).toList());
            all.put(m.name(), b);
        }
        j.put("benchmarks", all);
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("typicalCompiledVsHandWritten", ratio(byName, "RouteConditionBenchmark.typicalCompiled",
                "RouteConditionBenchmark.typicalHandWritten"));
        ratios.put("bodyCompiledVsHandWritten", ratio(byName, "RouteConditionBenchmark.bodyCompiled",
                "RouteConditionBenchmark.bodyHandWritten"));
        ratios.put("bodyJacksonTreeVsHandWritten", ratio(byName, "RouteConditionBenchmark.bodyJacksonTree",
                "RouteConditionBenchmark.bodyHandWritten"));
        j.put("ratios", ratios);
        Map<String, Object> targets = new LinkedHashMap<>();
        targets.put("typicalWithin2x", within(ratios.get("typicalCompiledVsHandWritten"), 2));
        targets.put("bodyWithin2x", within(ratios.get("bodyCompiledVsHandWritten"), 2));
        Measured route = byName.get("RouteTableBenchmark.routeMessage");
        targets.put("routeMessageAtLeast2MPerSecond", route == null ? null : route.score() >= 2_000_000);
        targets.put("routeMessageZeroAllocation", route == null || Double.isNaN(route.bytesPerOp()) ? null
                : route.bytesPerOp() < 1);
        Measured compile = byName.get("RouteTableBenchmark.compileHundredRoutes");
        targets.put("compileHundredRoutesUnder50ms", compile == null ? null : compile.score() < 50);
        j.put("targets", targets);
        j.put("java", Runtime.version().toString());
        return j;
    }

    private static Boolean within(Object ratio, double limit) {
        return ratio == null ? null : ((Number) ratio).doubleValue() <= limit;
    }

    private static Double ratio(Map<String, Measured> byName, String compiled, String baseline) {
        Measured c = byName.get(compiled);
        Measured b = byName.get(baseline);
        if (c == null || b == null || b.score() <= 0) {
            return null;
        }
        return Math.round(c.score() / b.score() * 1000) / 1000.0;
    }

    private static Double round(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return null;
        }
        return Math.round(v * 1000) / 1000.0;
    }

    /** A short human summary. */
    @SuppressWarnings("unchecked")
    static void printSummary(Map<String, Object> r, java.io.PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "edgefn bench routes: %s forks, warm-up %s, measurement %s, -prof gc%n", r.get("forks"),
                r.get("warmup"), r.get("measurement"));
        ((Map<String, Map<String, Object>>) r.get("benchmarks")).forEach((name, b) -> out.printf(Locale.ROOT,
                "  %-45s %14s ± %-12s %-6s %8s B/op   forks %s%n", name, b.get("score"), b.get("error"), b.get("unit"),
                b.get("bytesPerOp"), b.get("perFork")));
        out.printf(Locale.ROOT, "  ratios (compiled ÷ hand-written, time per op): %s%n", r.get("ratios"));
        out.printf(Locale.ROOT, "  targets: %s%n", r.get("targets"));
    }
}
