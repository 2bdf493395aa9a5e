package io.edgefn.benchmarks.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contenders' main against real stores: what a child JVM acknowledged is in the store when it is
 * reopened after the JVM halted without closing it, and every contender runs and reports.
 */
class ContenderMainTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Contender.class, names = {"EDGEFN", "SQLITE"})
    void childJvm_haltedWithoutClose_everyAcknowledgedRecordIsInTheReopenedStore(Contender contender) throws Exception {
        Path store = dir.resolve(contender.id());

        String line = ChildJvm.lastLine(ContenderMain.class, contender.id(), store.toString(), "--records", "3000");
        long acked = ((Number) new ObjectMapper().readValue(line, Map.class).get("acked")).longValue();

        assertThat(acked).isGreaterThanOrEqualTo(3000);
        assertThat(contender.count(store)).isGreaterThanOrEqualTo(acked);
    }

    @ParameterizedTest
    @EnumSource(Contender.class)
    void measure_briefRun_reportsAppendsFsyncsCpuAndBytes(Contender contender) throws Exception {
        Map<String, Object> r = ContenderMain.measure(contender, dir.resolve(contender.id()), Duration.ofMillis(100),
                Duration.ofMillis(300));

        assertThat(r).containsEntry("contender", contender.id()).containsEntry("durable", contender.durable())
                .containsEntry("failed", 0L);
        assertThat(((Number) r.get("records")).longValue()).isPositive();
        assertThat(((Number) r.get("appendsPerSec")).longValue()).isPositive();
        assertThat(r.get("cpuMicrosPerRecord")).isNotNull();
        if (contender.durable()) {
            assertThat(((Number) r.get("fsyncs")).longValue()).isPositive();
            assertThat(((Number) r.get("appendsPerFsync")).doubleValue()).isGreaterThanOrEqualTo(1.0);
        } else {
            assertThat(r.get("fsyncs")).isEqualTo(0L);
            assertThat(r.get("appendsPerFsync")).isNull();
        }
        assertThat(contender.count(dir.resolve(contender.id()))).isGreaterThanOrEqualTo(((Number) r.get("records")).longValue());
    }
}
