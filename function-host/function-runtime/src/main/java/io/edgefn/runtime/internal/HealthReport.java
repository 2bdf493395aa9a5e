package io.edgefn.runtime.internal;

import io.edgefn.buffer.BufferStats;
import io.edgefn.runtime.FunctionStats;
import io.edgefn.runtime.HostState;
import io.edgefn.runtime.HostStats;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The host's health as the gateway reports it upstream, shaped like IoT Edge's {@code $edgeAgent}
 * reported properties: plain maps, strings, numbers and booleans only (times as ISO-8601 UTC
 * strings), so any JSON mapper writes it without modules.
 *
 * <pre>{@code
 * {"schemaVersion": "1.0", "version": "<deployment version or null>",
 *  "runtime": {"status": "running"},
 *  "functions": {"<name>": {"runtimeStatus": "running", "restartCount": 1,
 *                           "lastStartTimeUtc": "...", "lastExitTimeUtc": "...", "lastExitReason": "...",
 *                           "lastError": "...", "safetyCritical": false, "stuck": 0}},
 *  "buffer": {"bytesOnDisk": 0, "diskFull": false, "depth": 0, "oldestAgeMillis": 0,
 *             "priorities": {"0": {"depth": 2, "oldestAgeMillis": 150}}}}
 * }</pre>
 *
 * {@code runtimeStatus} uses {@code $edgeAgent}'s words: {@code running} (or {@code unhealthy}
 * while an invocation is stuck), {@code backoff}, {@code failed}, {@code stopped}, and
 * {@code unknown} while a function is starting. {@code buffer} is the offline buffer's
 * {@code $upstream} cursor: what waits for the cloud, per priority. Stateless.
 */
public final class HealthReport {

    /** The report's schema version. */
    public static final String SCHEMA_VERSION = "1.0";

    private HealthReport() {
    }

    /** The report of a host in {@code state} whose counters are {@code stats}; an unmodifiable map. */
    public static Map<String, Object> of(HostState state, HostStats stats) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("schemaVersion", SCHEMA_VERSION);
        report.put("version", stats.deploymentVersion());
        report.put("runtime", Map.of("status", state.name().toLowerCase(java.util.Locale.ROOT)));
        Map<String, Object> functions = new LinkedHashMap<>();
        stats.functions().forEach((name, f) -> functions.put(name, function(f)));
        report.put("functions", Collections.unmodifiableMap(functions));
        report.put("buffer", buffer(stats.buffer()));
        return Collections.unmodifiableMap(report);
    }

    private static Map<String, Object> function(FunctionStats f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runtimeStatus", runtimeStatus(f));
        m.put("restartCount", f.restartCount());
        m.put("lastStartTimeUtc", iso(f.lastStartTime()));
        m.put("lastExitTimeUtc", iso(f.lastExitTime()));
        m.put("lastExitReason", f.lastExitReason());
        m.put("lastError", f.lastProblem());
        m.put("safetyCritical", f.safetyCritical());
        m.put("stuck", f.stuck());
        return Collections.unmodifiableMap(m);
    }

    /** {@code $edgeAgent}'s word for the state. */
    static String runtimeStatus(FunctionStats f) {
        return switch (f.state()) {
            case RUNNING -> f.stuck() > 0 ? "unhealthy" : "running";
            case BACKING_OFF -> "backoff";
            case FAILED -> "failed";
            case DRAINING, STOPPED -> "stopped";
            case STARTING -> "unknown";
        };
    }

    private static Map<String, Object> buffer(BufferStats b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bytesOnDisk", b == null ? 0L : b.bytesOnDisk());
        m.put("diskFull", b != null && b.diskFull());
        BufferStats.CursorStats upstream = b == null ? null : b.cursors().stream()
                .filter(c -> c.name().equals(UpstreamStore.CURSOR)).findFirst().orElse(null);
        m.put("depth", upstream == null ? 0L : upstream.depth());
        m.put("oldestAgeMillis", upstream == null ? 0L : upstream.oldestAgeMillis());
        Map<String, Object> priorities = new LinkedHashMap<>();
        if (upstream != null) {
            for (BufferStats.PriorityStats p : upstream.priorities()) {
                priorities.put(Integer.toString(p.priority()),
                        Map.of("depth", p.depth(), "oldestAgeMillis", p.oldestAgeMillis()));
            }
        }
        m.put("priorities", Collections.unmodifiableMap(priorities));
        return Collections.unmodifiableMap(m);
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
