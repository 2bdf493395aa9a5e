package io.edgefn.benchmarks.loop;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The parent of a loop run: runs each collector of {@code --collectors} in JVMs of its own (one
 * per round, rounds interleaved: G1, ZGC, Serial, G1, ZGC, Serial…), each with
 * {@code -Xlog:safepoint} to a file, and merges each collector's rounds — every trial's times,
 * the CPU shares, the priorities the OS reported, the collector's work and its stop-the-world
 * pauses during the measured trials — into one JSON object.
 *
 * <p>The headline numbers ({@code p50Millis}, {@code p99Millis}…) are those of
 * {@link #SAFETY_PATH_COLLECTOR}, the collector chosen for the safety path (the gateway's default, Serial) in
 * {@code benchmarks/LOOP.md}, when it ran; else of the first collector listed.
 *
 * <p>Not thread-safe: one run, on the calling thread (a thread per child forwards its stderr).
 */
final class CollectorRuns {

    /** The collector chosen for the safety path (see benchmarks/LOOP.md, "Collector"). */
    static final String SAFETY_PATH_COLLECTOR = "Serial";
    /** The target: p99 of the software path with the burner. */
    static final double TARGET_P99_MILLIS = 2.0;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoopOptions options;
    private final PrintStream progress;

    /** A parent run of {@code options}, with progress lines to {@code progress}. */
    CollectorRuns(LoopOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    /** A finished round: the child's JSON and its safepoint log cut to the measured trials. */
    record Round(Map<String, Object> json, List<String> safepointLines) {
    }

    /** Runs every round of every collector and returns the merged result (plain JSON values). */
    Map<String, Object> run() throws IOException, InterruptedException {
        Map<String, List<Round>> byCollector = new LinkedHashMap<>();
        options.collectors().forEach(c -> byCollector.put(c, new ArrayList<>()));
        Path logs = Files.createTempDirectory("edgefn-bench-loop-gc-");
        try {
            for (int round = 0; round < options.rounds(); round++) {
                for (String collector : options.collectors()) {
                    byCollector.get(collector).add(runRound(collector, round, logs));
                }
            }
        } finally {
            try (var files = Files.list(logs)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(logs);
        }
        return result(options, byCollector);
    }

    private Round runRound(String collector, int round, Path logs) throws IOException, InterruptedException {
        Path safepointLog = logs.resolve(collector + "-" + round + ".log");
        List<String> command = childCommand(options, collector, round, safepointLog, jvmArgs(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                System.getProperty("java.class.path"));
        String tag = "[" + collector + " " + (round + 1) + "/" + options.rounds() + "] ";
        progress.println("loop: " + tag + "a JVM with " + LoopOptions.COLLECTORS.get(collector) + ", "
                + options.trialsOfRound(round) + " trials");
        Process p = new ProcessBuilder(command).start();
        CompletableFuture<Void> errors = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    progress.println(tag + line);
                }
            } catch (IOException e) {
                progress.println(tag + "(stderr lost: " + e.getMessage() + ")");
            }
        });
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long limitSeconds = 120 + 6L * (options.trialsOfRound(round) + options.warmupTrials());
        if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("the " + collector + " JVM of round " + (round + 1) + " did not finish within "
                    + limitSeconds + " s");
        }
        errors.join();
        String stdout = out.join();
        List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
        if (p.exitValue() != 0 || lines.isEmpty()) {
            throw new IOException("the " + collector + " JVM of round " + (round + 1) + " failed (exit status "
                    + p.exitValue() + "); its output is above, prefixed " + tag.strip());
        }
        Map<String, Object> json = JSON.readValue(lines.get(lines.size() - 1), new TypeReference<>() { });
        List<String> log = Files.exists(safepointLog) ? Files.readAllLines(safepointLog) : List.of();
        double from = ((Number) json.get("measuredFromUptimeSeconds")).doubleValue();
        double to = ((Number) json.get("measuredToUptimeSeconds")).doubleValue();
        List<String> window = log.stream().filter(l -> inWindow(l, from, to)).toList();
        return new Round(json, window);
    }

    /**
     * The options each round's JVM starts from: this JVM's own, then the gateway's flags as the
     * launcher gives them ({@code edgefn.gatewayJvmFlags}: heap cap, compact headers…), so the
     * collectors are compared inside the heap a gateway really runs with; the collector choice is
     * dropped from both by {@link #childCommand}.
     */
    static List<String> jvmArgs() {
        List<String> args = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
        String gateway = System.getProperty("edgefn.gatewayJvmFlags", "").strip();
        if (!gateway.isEmpty()) {
            args.addAll(List.of(gateway.split("\\s+")));
        }
        return args;
    }

    private static boolean inWindow(String line, double from, double to) {
        if (!line.startsWith("[")) {
            return false;
        }
        int end = line.indexOf("s]");
        try {
            double at = Double.parseDouble(line.substring(1, end));
            return at >= from && at <= to;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The command line of one round's JVM: this JVM's own options except any collector choice and
     * {@code -Xlog}, then the collector's flag, the safepoint log, and {@code LoopBench --child}
     * with the round's trials (seed + round, so rounds see different pauses).
     */
    static List<String> childCommand(LoopOptions o, String collector, int round, Path safepointLog,
                                     List<String> parentJvmArgs, String java, String classPath) {
        List<String> c = new ArrayList<>();
        c.add(java);
        for (String a : parentJvmArgs) {
            boolean gcChoice = a.matches("-XX:[+-]Use\\w*GC") || a.startsWith("-XX:+ZGenerational")
                    || a.startsWith("-XX:-ZGenerational");
            if (!gcChoice && !a.startsWith("-Xlog") && !a.startsWith("-agentlib:jdwp")) {
                c.add(a);
            }
        }
        String flag = LoopOptions.COLLECTORS.get(collector);
        if (flag == null) {
            throw new IllegalArgumentException("unknown collector " + collector);
        }
        c.add(flag);
        c.add("-Xlog:safepoint:file=" + safepointLog + ":uptime");
        c.addAll(List.of("-cp", classPath, LoopBench.class.getName(), "--child",
                "--trials", Integer.toString(o.trialsOfRound(round)),
                "--warmup", Integer.toString(o.warmupTrials()),
                "--seed", Long.toString(o.seed() + round)));
        if (o.burning()) {
            c.addAll(List.of("--burn-millis", Long.toString(o.burnMillis())));
        } else {
            c.add("--no-burn");
        }
        if (o.verbose()) {
            c.add("--verbose");
        }
        return c;
    }

    /** Merges each collector's rounds into the run's result. */
    static Map<String, Object> result(LoopOptions o, Map<String, List<Round>> byCollector) {
        Map<String, Map<String, Object>> merged = new LinkedHashMap<>();
        byCollector.forEach((collector, rounds) -> merged.put(collector, merge(rounds)));
        String headline = byCollector.containsKey(SAFETY_PATH_COLLECTOR) ? SAFETY_PATH_COLLECTOR
                : byCollector.keySet().iterator().next();
        Map<String, Object> h = merged.get(headline);
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("benchmark", "loop");
        j.put("measures", "reading written by the simulated MCU -> the MCU's ACK of the shutdown COMMAND decoded at "
                + "the gateway; software path over a pty, no wire time (see wire)");
        j.put("headlineCollector", headline);
        j.put("trials", o.trials());
        j.put("rounds", o.rounds());
        j.put("warmupTrialsPerRound", o.warmupTrials());
        for (String k : List.of("p50Millis", "p99Millis", "maxMillis", "missed", "late", "ackNotOk")) {
            j.put(k, h.get(k));
        }
        j.put("p99Infinite", h.get("p99Millis") == null && ((Number) h.get("missed")).longValue() > 0);
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("p99Millis", TARGET_P99_MILLIS);
        target.put("withBurner", o.burning());
        Object p99 = h.get("p99Millis");
        target.put("met", o.burning() && p99 != null && ((Number) p99).doubleValue() <= TARGET_P99_MILLIS);
        j.put("target", target);
        j.put("burning", o.burning());
        j.put("burnMillisPer10msTick", o.burnMillis());
        for (String k : List.of("burnerCores", "processCpuCores", "safetyPathCores", "cores", "burnerTicks",
                "prioritiesAppliedEveryRound", "priorities", "stages", "gcBeans", "safepoints")) {
            j.put(k, h.get(k));
        }
        long spurious = 0;
        long missedAll = 0;
        Object wire = null;
        Object link = null;
        List<Object> load = new ArrayList<>();
        for (List<Round> rounds : byCollector.values()) {
            for (Round r : rounds) {
                spurious += ((Number) r.json().get("spuriousShutdowns")).longValue();
                wire = wire != null ? wire : r.json().get("wire");
                link = link != null ? link : r.json().get("link");
                load.add(r.json().get("loadAverage1m"));
            }
        }
        for (Map<String, Object> m : merged.values()) {
            missedAll += ((Number) m.get("missed")).longValue();
        }
        j.put("spuriousShutdowns", spurious);
        j.put("missedAllCollectors", missedAll);
        j.put("wire", wire);
        Map<String, Object> compact = new LinkedHashMap<>();
        String lowest = null;
        double lowestP99 = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, Map<String, Object>> e : merged.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>(e.getValue());
            m.remove("priorities");
            compact.put(e.getKey(), m);
            Object cp99 = m.get("p99Millis");
            if (cp99 != null && ((Number) cp99).doubleValue() < lowestP99) {
                lowestP99 = ((Number) cp99).doubleValue();
                lowest = e.getKey();
            }
        }
        j.put("lowestP99Collector", lowest);
        j.put("byCollector", compact);
        j.put("telemetryHz", o.telemetryHz());
        j.put("seed", o.seed());
        j.put("link", link);
        j.put("loadAverage1mPerRound", load);
        j.put("java", Runtime.version().toString());
        return j;
    }

    /** One collector's rounds merged: all trials, mean CPU shares, summed collector work, pooled pauses. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(List<Round> rounds) {
        StageBreakdown b = new StageBreakdown(LoopTrials.MISSED_AFTER.toNanos());
        List<String> pauses = new ArrayList<>();
        double burner = 0;
        double process = 0;
        double safety = 0;
        long ticks = 0;
        boolean safetyApplied = true;
        boolean ordinaryApplied = true;
        Map<String, Map<String, Object>> beans = new LinkedHashMap<>();
        Map<String, Object> priorities = null;
        for (Round r : rounds) {
            Map<String, Object> json = r.json();
            for (List<Number> t : (List<List<Number>>) json.get("trialTimes")) {
                b.add(TrialTimes.fromArray(t.stream().mapToLong(Number::longValue).toArray()));
            }
            pauses.addAll(r.safepointLines());
            burner += ((Number) json.get("burnerCores")).doubleValue();
            process += ((Number) json.get("processCpuCores")).doubleValue();
            safety += ((Number) json.get("safetyPathCores")).doubleValue();
            ticks += ((Number) json.get("burnerTicks")).longValue();
            priorities = (Map<String, Object>) json.get("priorities");
            safetyApplied &= Boolean.TRUE.equals(((Map<String, Object>) priorities.get("safety")).get("applied"));
            ordinaryApplied &= Boolean.TRUE.equals(((Map<String, Object>) priorities.get("ordinary")).get("applied"));
            ((Map<String, Map<String, Object>>) json.get("gcBeans")).forEach((name, v) -> beans.merge(name,
                    new LinkedHashMap<>(v), (a, c) -> {
                        a.put("count", ((Number) a.get("count")).longValue() + ((Number) c.get("count")).longValue());
                        a.put("millis", ((Number) a.get("millis")).longValue() + ((Number) c.get("millis")).longValue());
                        a.put("longestMillis", Math.max(((Number) a.get("longestMillis")).doubleValue(),
                                ((Number) c.get("longestMillis")).doubleValue()));
                        return a;
                    }));
        }
        int n = rounds.size();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trials", b.trials());
        m.put("p50Millis", LoopJson.millis(b.total().percentileMillis(50)));
        m.put("p99Millis", LoopJson.millis(b.total().percentileMillis(99)));
        m.put("maxMillis", LoopJson.millis(b.total().maxMillis()));
        m.put("missed", b.missed());
        m.put("late", b.late());
        m.put("ackNotOk", b.ackNotOk());
        m.put("burnerCores", round(burner / n));
        m.put("processCpuCores", round(process / n));
        m.put("safetyPathCores", round(safety / n));
        m.put("cores", rounds.get(0).json().get("cores"));
        m.put("burnerTicks", ticks);
        m.put("prioritiesAppliedEveryRound", Map.of("safety", safetyApplied, "ordinary", ordinaryApplied));
        m.put("priorities", priorities);
        m.put("stages", b.stagesToMap());
        m.put("gcBeans", beans);
        m.put("safepoints", GcWatch.safepoints(pauses, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** A human summary of {@link #result}'s map. */
    @SuppressWarnings("unchecked")
    static void printSummary(Map<String, Object> r, PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "edgefn bench loop: %s trials per collector in %s round(s), telemetry %.0f Hz over a %s%n",
                r.get("trials"), r.get("rounds"), ((Number) r.get("telemetryHz")).doubleValue(), r.get("link"));
        out.printf(Locale.ROOT, "  measured: %s%n", r.get("measures"));
        out.printf(Locale.ROOT, "  load: %s%n", Boolean.TRUE.equals(r.get("burning"))
                ? "cpu-burner spinning " + r.get("burnMillisPer10msTick") + " ms per 10 ms tick, 2 ticks at once"
                : "none (--no-burn)");
        out.printf(Locale.ROOT, "  %-8s %9s %9s %9s %7s %8s %8s %8s   %s%n", "collector", "p50 ms", "p99 ms", "max ms",
                "missed", "burner", "process", "safety", "stop-the-world pauses in the trials: n, p99/max ms");
        Map<String, Map<String, Object>> by = (Map<String, Map<String, Object>>) r.get("byCollector");
        by.forEach((c, m) -> {
            Map<String, Object> sp = (Map<String, Object>) m.get("safepoints");
            out.printf(Locale.ROOT, "  %-8s %9s %9s %9s %7s %8s %8s %8s   %s, %s/%s%n", c, text(m.get("p50Millis")),
                    text(m.get("p99Millis")), text(m.get("maxMillis")), m.get("missed"), m.get("burnerCores"),
                    m.get("processCpuCores"), m.get("safetyPathCores"), sp.get("count"), text(sp.get("p99Millis")),
                    text(sp.get("maxMillis")));
        });
        out.printf(Locale.ROOT, "  (burner/process/safety: cores of CPU time over wall time during the trials)%n");
        out.printf(Locale.ROOT, "  stages, %s (every trial: measured + infinite + unordered + not reached):%n",
                r.get("headlineCollector"));
        ((Map<String, Map<String, Object>>) r.get("stages")).forEach((s, m) -> out.printf(Locale.ROOT,
                "    %-15s p50 %s  p99 %s  max %s ms  (%s measured, %s infinite, %s unordered, %s not reached)%n", s,
                text(m.get("p50Millis")), text(m.get("p99Millis")), text(m.get("maxMillis")), m.get("measured"),
                m.get("infinite"), m.get("unordered"), m.get("notReached")));
        Map<String, Object> pr = (Map<String, Object>) r.get("priorities");
        if (pr != null) {
            Map<String, Object> s = (Map<String, Object>) pr.get("safety");
            Map<String, Object> o = (Map<String, Object>) pr.get("ordinary");
            out.printf(Locale.ROOT, "  priorities as the OS reports them: safety path nice %s %s (asked %s: %s); "
                            + "ordinary nice %s %s (asked %s SCHED_IDLE: %s)%n", s.get("nice"), s.get("policies"),
                    pr.get("askedSafetyNice"), Boolean.TRUE.equals(s.get("applied")) ? "applied" : "NOT applied",
                    o.get("nice"), o.get("policies"), pr.get("askedOrdinaryNice"),
                    Boolean.TRUE.equals(o.get("applied")) ? "applied" : "NOT applied");
        }
        Map<String, Object> wire = (Map<String, Object>) r.get("wire");
        if (wire != null) {
            out.printf(Locale.ROOT, "  wire time, not in the numbers above (8N1, reading %s + COMMAND %s + ACK %s bytes):",
                    wire.get("readingBytes"), wire.get("commandBytes"), wire.get("ackBytes"));
            ((Map<String, Map<String, Object>>) wire.get("perBaud")).forEach((baud, m) -> out.printf(Locale.ROOT,
                    " %s baud %s ms (COMMAND %s);", baud, m.get("loopMillis"), m.get("commandMillis")));
            out.println();
        }
        out.printf(Locale.ROOT, "  spurious shutdowns %s%n", r.get("spuriousShutdowns"));
        Map<String, Object> t = (Map<String, Object>) r.get("target");
        out.printf(Locale.ROOT, "  target: software-path p99 <= %s ms with the burner (%s) -> %s%n", t.get("p99Millis"),
                r.get("headlineCollector"), !Boolean.TRUE.equals(t.get("withBurner")) ? "(not measured: no burner)"
                        : Boolean.TRUE.equals(t.get("met")) ? "met" : "NOT met");
    }

    private static String text(Object millis) {
        return millis == null ? "∞" : String.format(Locale.ROOT, "%.3f", ((Number) millis).doubleValue());
    }
}
