package io.edgefn.benchmarks.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadmeTableTest {

    /** The repository root: the benchmarks module's parent (Maven runs tests in the module's folder). */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dir;

    @Test
    void theReadmesTableIsTheOneTheSavedRunsGive() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        String generated = ReadmeTable.replaceTable(readme, ReadmeTable.render(ROOT.resolve("benchmarks/results"), Rows.ALL));

        assertThat(readme)
                .as("README.md's performance table must be regenerated from benchmarks/results (ReadmeTable --write)")
                .isEqualTo(generated);
    }

    @Test
    void aRowShowsTheSavedFieldsAndNamesItsRun() throws Exception {
        Path results = dir.resolve("results");
        ResultFile.save(results, "buffer", List.of("--rounds", "5"), false, MachineInfo.describe(dir),
                Instant.parse("2026-12-01T04:00:00Z"), Instant.parse("2026-12-01T04:10:00Z"),
                Map.of("appendsPerSec", 812345, "physicalLimitPerSec", 1000000, "ratioVsPhysical", 0.81,
                        "targets", Map.of("ratioVsPhysical >= 0.7", "met")));

        String table = ReadmeTable.render(results, List.of(Rows.ALL.get(0)));

        assertThat(table).contains("| 812,345 /s").contains("1,000,000 /s").contains("| 0.81× |").contains("| met |")
                .contains("`./edgefn bench buffer --rounds 5` → [buffer.json](benchmarks/results/buffer.json), 2026-12-01");
    }

    @Test
    void aBenchmarkWithoutASavedRunIsNamedNotInvented() throws Exception {
        String table = ReadmeTable.render(dir, Rows.ALL);

        assertThat(table).contains("No saved run yet for: buffer, loop, routes, footprint.");
        assertThat(table.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| what")).count()).isZero();
    }

    @Test
    void aReadmeWithoutTheMarkersIsRefused() {
        assertThatThrownBy(() -> ReadmeTable.replaceTable("# edgefn\n", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bench-table:begin");
    }
}
