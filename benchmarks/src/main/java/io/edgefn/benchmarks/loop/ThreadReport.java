package io.edgefn.benchmarks.loop;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * What the OS says about the host's threads, not what the host asked for: the nice value and
 * scheduling policy of the safety path's threads and of the ordinary functions' threads, read
 * back from {@code /proc/self/task/<tid>/stat}, and the CPU time the ordinary functions' threads
 * (in this benchmark: the burner) really used.
 *
 * <p>Java threads are matched to OS threads through the JVM's own thread dump (the
 * {@code threadPrint} diagnostic command, in process), whose header line names each platform
 * thread with its Java id and its OS thread id. Stateless apart from the CPU baseline of
 * {@link #cpuNanosByThread}; called by the trial runner's thread.
 */
final class ThreadReport {

    /** What {@code CpuPriority} in the runtime asks for the safety path's threads. */
    static final int ASKED_SAFETY_NICE = -10;
    /** What it asks for the ordinary functions' threads (with {@code SCHED_IDLE}). */
    static final int ASKED_ORDINARY_NICE = 10;

    private static final Pattern HEADER = Pattern.compile("^\"(.*)\" #(\\d+) \\[(\\d+)\\]");
    private static final Pattern NID = Pattern.compile("^\"(.*)\" #(\\d+) .*\\bnid=(0x[0-9a-fA-F]+|\\d+)");

    private ThreadReport() {
    }

    /** A platform thread as the thread dump names it. */
    record OsThread(String name, long javaId, long tid) {
    }

    /** A thread's scheduling as {@code /proc/…/stat} shows it. */
    record Sched(int nice, int policy) {
        /** The policy's Linux name. */
        String policyName() {
            return ThreadReport.policyName(policy);
        }
    }

    /**
     * The platform threads in a HotSpot thread dump: header lines {@code "name" #javaId [tid] …}
     * (JDK 19+) or with {@code nid=0x…} (older). Other lines are skipped.
     */
    static List<OsThread> parseThreadDump(String dump) {
        List<OsThread> out = new ArrayList<>();
        for (String line : dump.split("\n")) {
            Matcher m = HEADER.matcher(line);
            if (m.find()) {
                out.add(new OsThread(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
                continue;
            }
            m = NID.matcher(line);
            if (m.find()) {
                String nid = m.group(3);
                long tid = nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid);
                out.add(new OsThread(m.group(1), Long.parseLong(m.group(2)), tid));
            }
        }
        return out;
    }

    /**
     * The nice value (field 19) and policy (field 41) of a {@code /proc/<pid>/task/<tid>/stat}
     * line; the command name in parentheses may itself hold spaces and parentheses.
     *
     * @throws IllegalArgumentException naming the line when it has too few fields
     */
    static Sched parseStat(String stat) {
        int close = stat.lastIndexOf(')');
        String[] f = close < 0 ? new String[0] : stat.substring(close + 2).trim().split(" +");
        // f[0] is field 3 (state)
        if (f.length < 41 - 2) {
            throw new IllegalArgumentException("a /proc stat line with " + f.length + " fields after the command name, "
                    + "fewer than the 39 needed for nice and policy: '" + stat.strip() + "'");
        }
        return new Sched(Integer.parseInt(f[19 - 3]), Integer.parseInt(f[41 - 3]));
    }

    /** Linux's name of scheduling policy {@code policy}. */
    static String policyName(int policy) {
        return switch (policy) {
            case 0 -> "SCHED_OTHER";
            case 1 -> "SCHED_FIFO";
            case 2 -> "SCHED_RR";
            case 3 -> "SCHED_BATCH";
            case 5 -> "SCHED_IDLE";
            case 6 -> "SCHED_DEADLINE";
            default -> "policy " + policy;
        };
    }

    /** Which group a thread belongs to: {@code safety}, {@code ordinary}, or {@code null} (neither). */
    static String group(String threadName, Set<String> safetyFunctions, Set<String> ordinaryFunctions) {
        if (threadName.startsWith("sphere-link-reader") || threadName.startsWith("edgefn-safety-")
                || threadName.startsWith("edgefn-scheduler-")) {
            return "safety";
        }
        if (threadName.startsWith("edgefn-fn-")) {
            return "ordinary";
        }
        if (threadName.startsWith("edgefn-dispatch-")) {
            String function = threadName.substring("edgefn-dispatch-".length());
            if (safetyFunctions.contains(function)) {
                return "safety";
            }
            if (ordinaryFunctions.contains(function)) {
                return "ordinary";
            }
        }
        return null;
    }

    /** The JVM's thread dump, taken in process. */
    static String threadDump() {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "threadPrint",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (Exception e) {
            return "";
        }
    }

    /**
     * The scheduling the OS reports for the safety path's and the ordinary functions' threads,
     * as plain JSON values: per group the threads (name, tid, nice, policy), the distinct nice
     * values and policies, and whether every thread has what {@code CpuPriority} asks for.
     */
    static Map<String, Object> priorities(Set<String> safetyFunctions, Set<String> ordinaryFunctions) {
        Map<String, List<Map<String, Object>>> groups = new LinkedHashMap<>();
        groups.put("safety", new ArrayList<>());
        groups.put("ordinary", new ArrayList<>());
        String problem = null;
        for (OsThread t : parseThreadDump(threadDump())) {
            String g = group(t.name(), safetyFunctions, ordinaryFunctions);
            if (g == null) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("tid", t.tid());
            try {
                Sched s = parseStat(Files.readString(Path.of("/proc/self/task/" + t.tid() + "/stat")));
                m.put("nice", s.nice());
                m.put("policy", s.policyName());
            } catch (IOException | RuntimeException e) {
                problem = "could not read /proc/self/task/" + t.tid() + "/stat: " + e.getMessage();
                m.put("nice", null);
                m.put("policy", null);
            }
            groups.get(g).add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("askedSafetyNice", ASKED_SAFETY_NICE);
        out.put("askedOrdinaryNice", ASKED_ORDINARY_NICE);
        out.put("askedOrdinaryPolicy", "SCHED_IDLE");
        out.put("safety", summary(groups.get("safety"), ASKED_SAFETY_NICE, null));
        out.put("ordinary", summary(groups.get("ordinary"), ASKED_ORDINARY_NICE, "SCHED_IDLE"));
        if (problem != null) {
            out.put("problem", problem);
        }
        return out;
    }

    private static Map<String, Object> summary(List<Map<String, Object>> threads, int nice, String policy) {
        Set<Object> nices = new TreeSet<>((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
        Set<Object> policies = new TreeSet<>((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
        boolean applied = !threads.isEmpty();
        for (Map<String, Object> t : threads) {
            nices.add(t.get("nice"));
            policies.add(t.get("policy"));
            applied &= Integer.valueOf(nice).equals(t.get("nice")) && (policy == null || policy.equals(t.get("policy")));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("applied", applied);
        m.put("nice", new ArrayList<>(nices));
        m.put("policies", new ArrayList<>(policies));
        m.put("threads", threads);
        return m;
    }

    /**
     * The CPU time (ns) used so far by each live platform thread that {@link #group} puts in
     * {@code group}, by Java thread id.
     */
    static Map<Long, Long> cpuNanosByThread(String group, Set<String> safetyFunctions, Set<String> ordinaryFunctions) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (group.equals(group(t.getName(), safetyFunctions, ordinaryFunctions))) {
                long cpu = mx.getThreadCpuTime(t.threadId());
                if (cpu >= 0) {
                    out.put(t.threadId(), cpu);
                }
            }
        }
        return out;
    }

    /** The CPU time used between two {@link #cpuNanosByThread} samples (threads new since count from 0). */
    static long cpuNanosBetween(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            sum += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
        }
        return sum;
    }
}
