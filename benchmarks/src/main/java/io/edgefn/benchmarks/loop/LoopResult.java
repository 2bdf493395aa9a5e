package io.edgefn.benchmarks.loop;

import io.edgefn.runtime.FunctionStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one JVM's run of the loop measured (one collector, one round): every trial's times, their
 * breakdown, the CPU the process, the burner and the safety path used, the priorities the OS
 * reports, the collector's work and the frames' sizes on the wire. A parent run
 * ({@link LoopBench}) merges the rounds of each collector from {@link #toMap()}.
 *
 * @param options           what was run
 * @param collector         the collector of this JVM ({@code G1}, {@code ZGC}, {@code Serial}…)
 * @param times             every measured trial's times, in order
 * @param breakdown         the latencies and stages of {@code times}
 * @param spuriousShutdowns shutdown COMMANDs that no injected reading caused
 * @param processCpuCores   CPU time the process used during the measured trials, in cores
 * @param burnerCores       CPU time the ordinary functions' threads (the burner) used, in cores
 * @param safetyCores       CPU time the safety path's threads used, in cores
 * @param cores             the machine's processors as the JVM sees them
 * @param functionStats     the host's function counters at the end
 * @param link              the serial path
 * @param loadAverages      the machine's 1-minute load average before and after the measured trials
 * @param priorities        {@link ThreadReport#priorities}: what the OS says
 * @param gcBeans           {@link GcWatch#toMap()} over the measured trials
 * @param fromUptimeSeconds JVM uptime when the measured trials began (to cut the safepoint log)
 * @param toUptimeSeconds   JVM uptime when they ended
 * @param wire              {@link WireTime#table}, or {@code null} when the sizing trial missed a frame
 */
record LoopResult(LoopOptions options, String collector, List<TrialTimes> times, StageBreakdown breakdown,
                  long spuriousShutdowns, double processCpuCores, double burnerCores, double safetyCores, int cores,
                  Map<String, FunctionStats> functionStats, String link, List<Double> loadAverages,
                  Map<String, Object> priorities, Map<String, Object> gcBeans, double fromUptimeSeconds,
                  double toUptimeSeconds, Map<String, Object> wire) {

    /** As plain JSON values, with every trial's times ({@code trialTimes}) for the parent run. */
    Map<String, Object> toMap() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("benchmark", "loop-round");
        j.put("collector", collector);
        j.put("trials", breakdown.trials());
        j.put("p50Millis", LoopJson.millis(breakdown.total().percentileMillis(50)));
        j.put("p99Millis", LoopJson.millis(breakdown.total().percentileMillis(99)));
        j.put("maxMillis", LoopJson.millis(breakdown.total().maxMillis()));
        j.put("missed", breakdown.missed());
        j.put("spuriousShutdowns", spuriousShutdowns);
        FunctionStats burner = functionStats.get("cpu-burner");
        j.put("burnerTicks", burner == null ? 0 : burner.invocations());
        j.put("burnerSkippedTicks", burner == null ? 0 : burner.skippedTicks());
        j.put("processCpuCores", round(processCpuCores));
        j.put("burnerCores", round(burnerCores));
        j.put("safetyPathCores", round(safetyCores));
        j.put("cores", cores);
        j.put("link", link);
        j.put("loadAverage1m", loadAverages);
        j.put("priorities", priorities);
        j.put("gcBeans", gcBeans);
        j.put("measuredFromUptimeSeconds", fromUptimeSeconds);
        j.put("measuredToUptimeSeconds", toUptimeSeconds);
        j.put("wire", wire);
        List<long[]> raw = new ArrayList<>(times.size());
        times.forEach(t -> raw.add(t.toArray()));
        j.put("trialTimes", raw);
        return j;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
