package io.edgefn.benchmarks.results;

import static io.edgefn.benchmarks.results.ReadmeTable.number;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgefn.benchmarks.results.ReadmeTable.Row;
import java.util.List;

/**
 * The rows of the README's generated performance table: which saved field each row shows. A
 * field a run did not write shows as "—". Stateless.
 */
final class Rows {

    private Rows() {
    }

    /** Every row, in the README's order. */
    static final List<Row> ALL = List.of(
            new Row("buffer", "buffer appends: 8 producers × 64 in flight, 256 B, each acknowledged after the fsync that"
                    + " covers it (`appendsPerSec`, median of the interleaved rounds, each contender in a JVM of its own)",
                    r -> number(r.path("appendsPerSec"), 0) + " /s (" + number(r.path("contenders").path("edgefn")
                            .path("appendsPerFsync"), 0) + " appends per fsync)",
                    r -> "the disk itself: `fio` writing the buffer's group (" + number(r.path("groupBytes"), 0)
                            + " B) + `fdatasync` (`physicalLimitPerSec`) " + number(r.path("physicalLimitPerSec"), 0) + " /s",
                    r -> number(r.path("ratioVsPhysical"), 2) + "×",
                    "≥ 0.7× physical", r -> ReadmeTable.verdict(r.path("targets"), "ratioVsPhysical >= 0.7")),
            new Row("buffer", "same, against the best durable embedded store grouped as its experts would (H2 SQL"
                    + " `executeBatch`, H2 MVStore, SQLite WAL `synchronous=FULL`, RocksDB `WriteBatch` `sync`)",
                    r -> number(r.path("appendsPerSec"), 0) + " /s",
                    r -> "`" + r.path("bestEmbeddedStore").asText("?") + "` " + number(r.path("bestEmbeddedPerSec"), 0)
                            + " /s (" + others(r) + ")",
                    r -> number(r.path("ratioVsBestEmbedded"), 2) + "×",
                    "ahead of every one", r -> ReadmeTable.verdict(r.path("targets"), "ahead of every durable embedded store")),
            new Row("buffer", "buffer replay with its segments out of the page cache (`replayColdPerSec`)",
                    r -> number(r.path("replayColdPerSec"), 0) + " records/s (" + number(r.path("replayMBPerSec"), 0)
                            + " MB/s; cache dropped by " + r.path("replayCache").asText("?") + ")",
                    r -> "—", r -> "—", "≥ 1 M/s", r -> ReadmeTable.verdict(r.path("targets"), "replayColdPerSec >= 1000000")),
            new Row("buffer", "recovery after SIGKILL, opened in a fresh JVM (`recoveryMillis`, open to first poll)",
                    r -> number(r.path("recoveryMillis"), 0) + " ms for a " + megabytes(r.path("recoveryStoreBytes"))
                            + " MB store of 256 B records; " + number(r.path("recoveryLostAcked"), 0)
                            + " acknowledged records lost",
                    r -> "—", r -> "—", "< 2 s, 0 lost", r -> ReadmeTable.verdict(r.path("targets"), "recoveryMillis < 2000")),
            new Row("loop", "control loop: reading leaves the MCU → functions → shutdown COMMAND → the MCU's ACK back"
                    + " at the gateway, over a pty, 1 kHz telemetry, a CPU burner beside it; misses count as infinite;"
                    + " each collector in JVMs of its own inside the gateway's flags",
                    Rows::loopByCollector,
                    r -> "the software path only; the wire adds " + number(r.path("wire").path("perBaud")
                            .path("115200").path("loopMillis"), 1) + " ms at 115200 baud, " + number(r.path("wire")
                            .path("perBaud").path("921600").path("loopMillis"), 2) + " ms at 921600",
                    r -> "—", "p99 ≤ 2 ms", r -> r.path("target").path("met").asBoolean() ? "met" : "**missed**"),
            new Row("routes", "typical route condition (`as_number(temp) > 90 AND $connectionDeviceId = 'pump-01'`)",
                    r -> jmh(r, "RouteConditionBenchmark", "typicalCompiled"),
                    r -> "hand-written, allocation-free: " + jmh(r, "RouteConditionBenchmark", "typicalHandWritten"),
                    r -> number(r.path("ratios").path("typicalCompiledVsHandWritten"), 2) + "×", "≤ 2×",
                    r -> r.path("targets").path("typicalWithin2x").asBoolean() ? "met" : "**missed**"),
            new Row("routes", "`$body` route condition (`$body.pressure > 150`)",
                    r -> jmh(r, "RouteConditionBenchmark", "bodyCompiled"),
                    r -> "hand-written scanner of the body's bytes: " + jmh(r, "RouteConditionBenchmark", "bodyHandWritten"),
                    r -> number(r.path("ratios").path("bodyCompiledVsHandWritten"), 2) + "×", "≤ 2×",
                    r -> r.path("targets").path("bodyWithin2x").asBoolean() ? "met" : "**missed**"),
            new Row("routes", "100 routes over 20 sources, one core",
                    r -> jmh(r, "RouteTableBenchmark", "routeMessage"), r -> "—", r -> "—", "≥ 2 M/s, 0 B",
                    r -> r.path("targets").path("routeMessageAtLeast2MPerSecond").asBoolean()
                            && r.path("targets").path("routeMessageZeroAllocation").asBoolean() ? "met" : "**missed**"),
            new Row("routes", "compile a 100-route deployment",
                    r -> jmh(r, "RouteTableBenchmark", "compileHundredRoutes"), r -> "—", r -> "—", "< 50 ms",
                    r -> r.path("targets").path("compileHundredRoutesUnder50ms").asBoolean() ? "met" : "**missed**"),
            new Row("footprint", "idle resident memory: the demo deployment in `edgefn run`, 30 s idle (`idleRssMb`)",
                    r -> number(r.path("idleRssMb"), 1) + " MiB (without the AOT cache " + number(r.path("idleRssMbWithoutAotCache"), 1)
                            + ")",
                    r -> "a JVM with the same flags running nothing (`jvmFloorRssMb`): " + number(r.path("jvmFloorRssMb"), 1) + " MiB",
                    r -> "—", "≤ 64 MiB", r -> r.path("met").path("idleRssMb").asBoolean() ? "met" : "**missed**"),
            new Row("footprint", "start: process start → ready line, with the AOT cache (`startMillis`)",
                    r -> number(r.path("startMillis"), 0) + " ms",
                    r -> "without the cache (`startMillisWithoutAotCache`): " + number(r.path("startMillisWithoutAotCache"), 0) + " ms",
                    r -> "—", "≤ 500 ms", r -> r.path("met").path("startMillis").asBoolean() ? "met" : "**missed**"));

    /** Each collector's p50/p99/max and misses, and the burner's real core use. */
    private static String loopByCollector(JsonNode r) {
        StringBuilder out = new StringBuilder();
        r.path("byCollector").fields().forEachRemaining(e -> {
            JsonNode c = e.getValue();
            if (out.length() > 0) {
                out.append("; ");
            }
            out.append(e.getKey()).append(" p50 ").append(number(c.path("p50Millis"), 2)).append(", p99 ")
                    .append(c.path("p99Millis").isNumber() ? number(c.path("p99Millis"), 2) : "∞").append(", max ")
                    .append(number(c.path("maxMillis"), 1)).append(" ms");
        });
        return out + " (" + number(r.path("missed"), 0) + " missed of " + number(r.path("trials"), 0)
                + " per collector; burner " + number(r.path("burnerCores"), 2) + " cores)";
    }

    /** Bytes as whole megabytes (10^6), or "—". */
    private static String megabytes(JsonNode bytes) {
        return bytes.isNumber() ? String.format(java.util.Locale.ROOT, "%,.0f", bytes.asDouble() / 1e6) : "—";
    }

    /** The other durable stores' medians, for the baseline column. */
    private static String others(JsonNode r) {
        StringBuilder out = new StringBuilder();
        r.path("contenders").fields().forEachRemaining(e -> {
            if (!e.getKey().equals("edgefn")) {
                if (out.length() > 0) {
                    out.append(", ");
                }
                out.append(e.getKey()).append(' ').append(number(e.getValue().path("appendsPerSec"), 0));
                if (!e.getValue().path("durable").asBoolean(true)) {
                    out.append(" not durable");
                }
            }
        });
        return out.toString();
    }

    /** A JMH score with its error, unit and allocation per operation. */
    private static String jmh(JsonNode r, String benchmark, String method) {
        JsonNode b = r.path("benchmarks").path(benchmark + "." + method);
        if (b.isMissingNode()) {
            return "—";
        }
        double score = b.path("score").asDouble();
        String unit = b.path("unit").asText();
        int decimals = score >= 100 ? 0 : score >= 1 ? 1 : 2;
        return number(b.path("score"), decimals) + " ± " + number(b.path("error"), decimals) + " " + unit + ", "
                + number(b.path("bytesPerOp"), 0) + " B/op";
    }
}
