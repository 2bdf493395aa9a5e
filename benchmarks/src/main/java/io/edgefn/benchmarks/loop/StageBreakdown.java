package io.edgefn.benchmarks.loop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loop's latency and its stages over <em>every</em> measured trial: a trial whose hooks fired
 * out of order, or that missed, still counts — in each stage it reached, with what it has.
 *
 * <p>The loop, reading written → ACK at the gateway, is {@link #total}: a trial with no ACK
 * within {@link LoopTrials#MISSED_AFTER} counts as infinite. The stages:
 * <ul>
 *   <li>{@code driverIn}: reading written → the host routed it (pty, socat, jSerialComm reader,
 *       decode, route);</li>
 *   <li>{@code functions}: routed → the shutdown COMMAND handed to the device binding;</li>
 *   <li>{@code inAndFunctions}: reading written → COMMAND handed over, the two above together,
 *       known for every trial that got that far (the host reports "routed" after delivering, on a
 *       thread that can be preempted, so in some trials the split point comes too late);</li>
 *   <li>{@code driverOut}: COMMAND handed over → the MCU decoded it;</li>
 *   <li>{@code ackBack}: the MCU decoded the COMMAND → the gateway decoded its ACK (the MCU
 *       acting on it, the ACK over the pty, the link's reader);</li>
 *   <li>{@code driverOnly}: driverIn + driverOut + ackBack of a trial with all three, the part no
 *       function touches;</li>
 *   <li>{@code commandAtMcu}: reading written → the MCU decoded the COMMAND (where the clock
 *       stopped before the ACK leg was timed).</li>
 * </ul>
 * Per stage, every trial is one of: measured; infinite (the stage began but never ended, e.g. no
 * ACK came); {@code unordered} (the "routed" report came after the COMMAND was handed over, so the
 * split between driverIn and functions is unknown — the trial is in {@code inAndFunctions});
 * {@code notReached} (an earlier stage never ended). The four add up to the trials.
 *
 * <p>Not thread-safe: built by one thread from finished trials.
 */
final class StageBreakdown {

    /** The stages in the order of the loop, as the JSON names them. */
    static final List<String> STAGES = List.of("driverIn", "functions", "inAndFunctions", "driverOut", "ackBack",
            "driverOnly", "commandAtMcu");

    private final long missAfterNanos;
    private final Latencies total = new Latencies();
    private final Map<String, Stage> stages = new LinkedHashMap<>();
    private long late;
    private long ackNotOk;
    private long trials;

    /** An empty breakdown; a loop not closed within {@code missAfterNanos} is missed. */
    StageBreakdown(long missAfterNanos) {
        this.missAfterNanos = missAfterNanos;
        STAGES.forEach(s -> stages.put(s, new Stage()));
    }

    /** One stage's latencies and the trials it could not measure. */
    static final class Stage {
        final Latencies latencies = new Latencies();
        long unordered;
        long notReached;

        /** Trials this stage accounts for: measured + infinite + unordered + not reached. */
        long trials() {
            return latencies.count() + unordered + notReached;
        }
    }

    /** Adds one measured trial. */
    void add(TrialTimes t) {
        trials++;
        if (t.closedWithin(missAfterNanos)) {
            total.add(t.ack());
        } else {
            total.addMissed();
            if (t.ack() >= 0) {
                late++;
            }
        }
        if (t.ack() >= 0 && !t.ackOk()) {
            ackNotOk++;
        }
        boolean routedInOrder = t.routed() >= 0 && (t.sent() < 0 || t.routed() <= t.sent());
        // driverIn and functions: split at "routed" when it came in order
        if (routedInOrder) {
            stage("driverIn").latencies.add(t.routed());
            span(stage("functions"), t.routed(), t.sent());
        } else if (t.sent() >= 0) {
            stage("driverIn").unordered++;
            stage("functions").unordered++;
        } else {
            stage("driverIn").latencies.addMissed();
            stage("functions").notReached++;
        }
        span(stage("inAndFunctions"), 0, t.sent());
        span(stage("driverOut"), t.sent(), t.commandRead());
        span(stage("ackBack"), t.commandRead(), t.ack());
        span(stage("commandAtMcu"), 0, t.commandRead());
        Stage driverOnly = stage("driverOnly");
        if (routedInOrder && t.sent() >= 0 && t.commandRead() >= 0 && t.ack() >= 0) {
            driverOnly.latencies.add(t.routed() + (t.ack() - t.sent()));
        } else if (!routedInOrder && t.sent() >= 0) {
            driverOnly.unordered++;
        } else if (t.ack() < 0 && (t.sent() >= 0 || t.routed() >= 0 || t.commandRead() >= 0)) {
            driverOnly.latencies.addMissed();
        } else {
            driverOnly.notReached++;
        }
    }

    /** A stage from {@code from} to {@code to}: not reached when it never began, infinite when it never ended. */
    private static void span(Stage stage, long from, long to) {
        if (from < 0) {
            stage.notReached++;
        } else if (to < 0) {
            stage.latencies.addMissed();
        } else {
            stage.latencies.add(Math.max(0, to - from));
        }
    }

    /** The named stage (one of {@link #STAGES}). */
    Stage stage(String name) {
        Stage s = stages.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no stage '" + name + "'; stages: " + STAGES);
        }
        return s;
    }

    /** Reading written → ACK at the gateway; missed trials infinite. */
    Latencies total() {
        return total;
    }

    /** Measured trials. */
    long trials() {
        return trials;
    }

    /** Trials with no ACK within the limit, late ones included. */
    long missed() {
        return total.missed();
    }

    /** Missed trials whose ACK did come, after the limit. */
    long late() {
        return late;
    }

    /** ACKs that did not say {@code ok}. */
    long ackNotOk() {
        return ackNotOk;
    }

    /** The stages as plain JSON values: per stage the percentiles (null = infinite) and the counts. */
    Map<String, Object> stagesToMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        stages.forEach((name, s) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("p50Millis", LoopJson.millis(s.latencies.percentileMillis(50)));
            m.put("p99Millis", LoopJson.millis(s.latencies.percentileMillis(99)));
            m.put("maxMillis", LoopJson.millis(s.latencies.maxMillis()));
            m.put("trials", s.trials());
            m.put("measured", s.latencies.count() - s.latencies.missed());
            m.put("infinite", s.latencies.missed());
            m.put("unordered", s.unordered);
            m.put("notReached", s.notReached);
            out.put(name, m);
        });
        return out;
    }
}
