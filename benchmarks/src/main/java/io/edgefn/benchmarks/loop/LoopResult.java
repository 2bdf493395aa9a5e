package io.edgefn.benchmarks.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.runtime.FunctionStats;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one run of the loop benchmark measured: the end-to-end latency from the anomalous reading
 * to the shutdown COMMAND, and its three stages — the driver bringing the reading in and the
 * router delivering it ({@code driverIn}), the functions and routes between
 * ({@code functions}), and the COMMAND going out through the driver and the pty
 * ({@code driverOut}); {@code driverOnly} is in + out per trial, the part no function touches.
 *
 * @param options          what was run
 * @param total            anomalous reading written → shutdown COMMAND read, per trial that got one
 * @param driverIn         reading written → host routed it
 * @param functions        host routed the reading → host sends the COMMAND
 * @param driverOut        host sends the COMMAND → simulator read it
 * @param driverOnly       driverIn + driverOut of each trial
 * @param missed           trials with no COMMAND within 1 s (late ones included)
 * @param late             missed trials whose COMMAND did come, after more than 1 s
 * @param spuriousShutdowns shutdown COMMANDs that no injected reading caused
 * @param processCpuCores  CPU time the process used during the measured trials, in cores
 * @param cores            the machine's processors as the JVM sees them
 * @param functionStats    the host's function counters at the end
 * @param link             the serial path
 * @param loadAverages     the machine's 1-minute load average before and after the measured trials
 *                         (other processes compete for the same cores), or empty where unknown
 */
record LoopResult(LoopOptions options, Latencies total, Latencies driverIn, Latencies functions, Latencies driverOut,
                  Latencies driverOnly, long missed, long late, long spuriousShutdowns, double processCpuCores,
                  int cores, Map<String, FunctionStats> functionStats, String link,
                  java.util.List<Double> loadAverages) {

    /** The one-line JSON object the benchmark prints last. */
    String toJson() {
        ObjectNode j = new ObjectMapper().createObjectNode();
        j.put("benchmark", "loop");
        j.put("trials", options.trials());
        j.put("p50Millis", round(total.percentileMillis(50)));
        j.put("p99Millis", round(total.percentileMillis(99)));
        j.put("maxMillis", round(total.maxMillis()));
        j.put("missed", missed);
        j.put("late", late);
        j.put("spuriousShutdowns", spuriousShutdowns);
        j.put("burning", options.burning());
        j.put("burnMillisPer10msTick", options.burnMillis());
        FunctionStats burner = functionStats.get("cpu-burner");
        j.put("burnerTicks", burner == null ? 0 : burner.invocations());
        j.put("burnerSkippedTicks", burner == null ? 0 : burner.skippedTicks());
        j.put("processCpuCores", round(processCpuCores));
        j.put("cores", cores);
        j.put("telemetryHz", options.telemetryHz());
        j.put("warmupTrials", options.warmupTrials());
        j.put("seed", options.seed());
        j.put("baselineDriverOnlyP50Millis", round(driverOnly.percentileMillis(50)));
        j.put("baselineDriverOnlyP99Millis", round(driverOnly.percentileMillis(99)));
        j.put("driverInP99Millis", round(driverIn.percentileMillis(99)));
        j.put("functionsP50Millis", round(functions.percentileMillis(50)));
        j.put("functionsP99Millis", round(functions.percentileMillis(99)));
        j.put("driverOutP99Millis", round(driverOut.percentileMillis(99)));
        var load = j.putArray("loadAverage1m");
        loadAverages.forEach(load::add);
        j.put("java", Runtime.version().toString());
        return j.toString();
    }

    /** A short human summary. */
    void printSummary(PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "edgefn bench loop: %d trials (after %d warm-up), telemetry %.0f Hz over a %s%n",
                options.trials(), options.warmupTrials(), options.telemetryHz(), link);
        out.printf(Locale.ROOT, "  load            %s; the process used %.2f of %d cores%n",
                options.burning() ? "cpu-burner spinning " + options.burnMillis() + " ms per 10 ms tick, 2 ticks at once"
                        : "none (--no-burn)", processCpuCores, cores);
        if (!loadAverages.isEmpty()) {
            out.printf(Locale.ROOT, "  machine load    1-minute load average %s before -> after (other processes share the cores)%n",
                    loadAverages);
        }
        out.printf(Locale.ROOT, "  reading -> COMMAND   p50 %7.3f ms   p99 %7.3f ms   max %7.3f ms   missed %d%n",
                total.percentileMillis(50), total.percentileMillis(99), total.maxMillis(), missed);
        line(out, "    driver in + route", driverIn);
        line(out, "    functions + routes", functions);
        line(out, "    driver out + pty", driverOut);
        line(out, "  driver alone (in+out)", driverOnly);
        out.printf(Locale.ROOT, "  spurious shutdowns %d%n", spuriousShutdowns);
        String safety = functionStats.values().stream().filter(FunctionStats::safetyCritical).map(FunctionStats::name)
                .collect(Collectors.joining(", "));
        out.printf(Locale.ROOT, "  safety path (own platform threads): %s%n", safety.isEmpty() ? "none" : safety);
        FunctionStats burner = functionStats.get("cpu-burner");
        if (burner != null && options.burning()) {
            out.printf(Locale.ROOT, "  cpu-burner: %d ticks run, %d skipped (previous ticks still spinning)%n",
                    burner.invocations(), burner.skippedTicks());
        }
        out.printf(Locale.ROOT, "  target: p99 <= 2 ms with the burner -> %s%n",
                !options.burning() ? "(not measured: no burner)" : total.percentileMillis(99) <= 2.0 && missed == 0 ? "met" : "NOT met");
    }

    private static void line(PrintStream out, String label, Latencies l) {
        out.printf(Locale.ROOT, "  %-22s p50 %7.3f ms   p99 %7.3f ms   max %7.3f ms   (%d trials)%n",
                label, l.percentileMillis(50), l.percentileMillis(99), l.maxMillis(), l.count());
    }

    private static double round(double millis) {
        return Double.isNaN(millis) ? -1 : Math.round(millis * 1000) / 1000.0;
    }
}
