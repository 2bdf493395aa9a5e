package io.edgefn.benchmarks.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path results;

    @Test
    void aFullRunIsSavedAsTheLatestAndKeptUnderRuns() throws Exception {
        MachineInfo machine = MachineInfo.describe(results);
        Instant start = Instant.parse("2026-12-01T03:04:05Z");

        Path latest = ResultFile.save(results, "buffer", List.of("--rounds", "5"), false, machine, start,
                start.plusSeconds(60), Map.of("appendsPerSec", 123.0));

        assertThat(latest).isEqualTo(results.resolve("buffer.json"));
        Path kept = results.resolve("runs/20261201T030405Z-buffer.json");
        assertThat(kept).exists();
        JsonNode doc = JSON.readTree(latest.toFile());
        assertThat(doc.get("command").asText()).isEqualTo("./edgefn bench buffer --rounds 5");
        assertThat(doc.get("quick").asBoolean()).isFalse();
        assertThat(doc.get("result").get("appendsPerSec").asDouble()).isEqualTo(123.0);
        assertThat(doc.get("machine").get("cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(doc.get("machine").get("disk").get("directory").asText()).isEqualTo(results.toString());
        assertThat(JSON.readTree(kept.toFile())).isEqualTo(doc);

        ResultFile.save(results, "buffer", List.of(), false, machine, start.plusSeconds(120), start.plusSeconds(180),
                Map.of("appendsPerSec", 456.0));
        assertThat(JSON.readTree(latest.toFile()).get("result").get("appendsPerSec").asDouble()).isEqualTo(456.0);
        try (Stream<Path> runs = Files.list(results.resolve("runs"))) {
            assertThat(runs.count()).isEqualTo(2);
        }
    }

    @Test
    void aQuickRunGoesOnlyUnderQuick() throws Exception {
        Path file = ResultFile.save(results, "loop", List.of("--quick"), true, MachineInfo.describe(results),
                Instant.now(), Instant.now(), Map.of("p99Millis", 1.5));

        assertThat(file).isEqualTo(results.resolve("quick/loop.json"));
        assertThat(results.resolve("loop.json")).doesNotExist();
        assertThat(results.resolve("runs")).doesNotExist();
        assertThat(JSON.readTree(file.toFile()).get("quick").asBoolean()).isTrue();
    }

    @Test
    void aNameThatIsNoFileNameIsRefused() {
        assertThatThrownBy(() -> ResultFile.save(results, "../x", List.of(), false, MachineInfo.describe(results),
                Instant.now(), Instant.now(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'../x'");
    }

    @Test
    void theMachineNamesTheFileSystemOfTheDirectory() {
        MachineInfo.Disk disk = MachineInfo.describe(results).disk();
        // On Linux /proc/mounts always has a mount above any directory.
        assertThat(disk.mountPoint()).isNotNull();
        assertThat(results.toAbsolutePath().toString()).startsWith(disk.mountPoint());
        assertThat(disk.fileSystem()).isNotBlank();
    }
}
