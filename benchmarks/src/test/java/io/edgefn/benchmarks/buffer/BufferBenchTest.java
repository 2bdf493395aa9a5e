package io.edgefn.benchmarks.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.benchmarks.results.MachineInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BufferBenchTest {

    private static MachineInfo.Disk disk(String fileSystem) {
        return new MachineInfo.Disk("/bench/dir", "tmpfs".equals(fileSystem) ? "tmpfs" : "/dev/vda", fileSystem, "/",
                false, null);
    }

    @Test
    void tmpfsWarning_directoryInMemory_warnsNamingTheDirectoryAndTheWayOut() {
        assertThat(BufferBench.tmpfsWarning(disk("tmpfs"))).hasValueSatisfying(w -> assertThat(w)
                .contains("/bench/dir is on tmpfs").contains("--dir"));
        assertThat(BufferBench.tmpfsWarning(disk("ramfs"))).isPresent();
    }

    @Test
    void tmpfsWarning_directoryOnADisk_saysNothing() {
        assertThat(BufferBench.tmpfsWarning(disk("ext4"))).isEmpty();
        assertThat(BufferBench.tmpfsWarning(disk(null))).isEmpty();
    }

    @Test
    void rotated_eachRoundStartsWithTheNextEntry() {
        List<String> entries = List.of("a", "b", "c");

        assertThat(BufferBench.rotated(entries, 0)).containsExactly("a", "b", "c");
        assertThat(BufferBench.rotated(entries, 1)).containsExactly("b", "c", "a");
        assertThat(BufferBench.rotated(entries, 4)).containsExactly("b", "c", "a");
    }

    @Test
    void groupRecords_isTheLargestGroupSeen_boundedByTheRecordsInFlight() {
        Map<String, Object> run = new HashMap<>();
        run.put("maxGroupRecords", 475);
        run.put("appendsPerFsync", 230.0);
        assertThat(BufferBench.groupRecords(run)).isEqualTo(475);

        run.put("maxGroupRecords", 900);
        assertThat(BufferBench.groupRecords(run)).isEqualTo(BufferBench.MAX_IN_FLIGHT);

        run.put("maxGroupRecords", null);
        assertThat(BufferBench.groupRecords(run)).isEqualTo(230);
    }
}
