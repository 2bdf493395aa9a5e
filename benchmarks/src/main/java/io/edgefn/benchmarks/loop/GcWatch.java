package io.edgefn.benchmarks.loop;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The collector's work during the measured trials, from two sources: the
 * {@link GarbageCollectorMXBean}s (collections and their time per bean, and the longest one
 * notified; ZGC's {@code … Cycles} beans are concurrent cycles, its {@code … Pauses} beans its
 * pauses), and — parsed by {@link #safepoints} — the JVM's {@code -Xlog:safepoint} lines, which
 * time every stop-the-world pause of every collector the same way, in nanoseconds.
 *
 * <p>Thread-safe: notifications arrive on a JMX thread; {@link #start()} and {@link #toMap()} are
 * called by the trial runner.
 */
final class GcWatch {

    private static final Pattern SAFEPOINT = Pattern.compile(
            "^\\[(\\d+(?:\\.\\d+)?)s\\].*Safepoint \"([^\"]+)\".*?Total: (\\d+) ns");

    private final Map<String, long[]> startCounts = new LinkedHashMap<>();
    private final Map<String, Double> longestMillis = new ConcurrentHashMap<>();
    private final List<Runnable> unregister = new ArrayList<>();
    private volatile boolean measuring;

    /** Takes the beans' counters now and starts noting the longest collection per bean. */
    void start() {
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            startCounts.put(b.getName(), new long[] {b.getCollectionCount(), b.getCollectionTime()});
            if (b instanceof NotificationEmitter emitter) {
                NotificationListener listener = (n, handback) -> {
                    if (measuring && GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                        longestMillis.merge(info.getGcName(), (double) info.getGcInfo().getDuration(), Math::max);
                    }
                };
                emitter.addNotificationListener(listener, null, null);
                unregister.add(() -> {
                    try {
                        emitter.removeNotificationListener(listener);
                    } catch (Exception e) {
                        // gone already
                    }
                });
            }
        }
        measuring = true;
    }

    /** Stops noting, and returns per bean the collections, their time and the longest, since {@link #start()}. */
    Map<String, Object> toMap() {
        measuring = false;
        unregister.forEach(Runnable::run);
        Map<String, Object> beans = new LinkedHashMap<>();
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            long[] s = startCounts.getOrDefault(b.getName(), new long[2]);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", b.getCollectionCount() - s[0]);
            m.put("millis", b.getCollectionTime() - s[1]);
            m.put("longestMillis", longestMillis.getOrDefault(b.getName(), 0.0));
            m.put("concurrent", b.getName().contains("Cycles") || b.getName().contains("Concurrent"));
            beans.put(b.getName(), m);
        }
        return beans;
    }

    /** The collector this JVM runs, as the benchmark names it ({@code G1}, {@code ZGC}, {@code Serial}, …). */
    static String collectorName() {
        List<String> names = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList();
        if (names.stream().anyMatch(n -> n.startsWith("G1"))) {
            return "G1";
        }
        if (names.stream().anyMatch(n -> n.startsWith("ZGC"))) {
            return "ZGC";
        }
        if (names.contains("Copy") || names.contains("MarkSweepCompact")) {
            return "Serial";
        }
        if (names.stream().anyMatch(n -> n.startsWith("PS "))) {
            return "Parallel";
        }
        if (names.stream().anyMatch(n -> n.startsWith("Shenandoah"))) {
            return "Shenandoah";
        }
        return String.join("+", names);
    }

    /**
     * The stop-the-world pauses in {@code -Xlog:safepoint} lines (decorated with {@code uptime})
     * between JVM uptimes {@code fromSeconds} and {@code toSeconds}, as plain JSON values: count,
     * total, p50/p99/max in milliseconds, and per operation the count and the longest.
     */
    static Map<String, Object> safepoints(List<String> lines, double fromSeconds, double toSeconds) {
        Latencies all = new Latencies();
        Map<String, long[]> byOperation = new LinkedHashMap<>();
        long totalNanos = 0;
        for (String line : lines) {
            Matcher m = SAFEPOINT.matcher(line);
            if (!m.find()) {
                continue;
            }
            double at = Double.parseDouble(m.group(1));
            if (at < fromSeconds || at > toSeconds) {
                continue;
            }
            long nanos = Long.parseLong(m.group(3));
            all.add(nanos);
            totalNanos += nanos;
            long[] op = byOperation.computeIfAbsent(m.group(2), k -> new long[2]);
            op[0]++;
            op[1] = Math.max(op[1], nanos);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", all.count());
        out.put("totalMillis", Math.round(totalNanos / 1e3) / 1e3);
        out.put("p50Millis", LoopJson.millis(all.percentileMillis(50)));
        out.put("p99Millis", LoopJson.millis(all.percentileMillis(99)));
        out.put("maxMillis", LoopJson.millis(all.maxMillis()));
        Map<String, Object> ops = new LinkedHashMap<>();
        byOperation.forEach((name, v) -> ops.put(name, Map.of("count", v[0], "maxMillis", Math.round(v[1] / 1e3) / 1e3)));
        out.put("byOperation", ops);
        return out;
    }
}
