package io.edgefn.benchmarks.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FioTest {

    /** A real report: fio 3.33, 150,016-byte writes with an fdatasync each, growing file, 1 s, on a loaded VM. */
    private static String realReport() throws IOException {
        try (InputStream in = FioTest.class.getResourceAsStream("fio-growing.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void parse_realReport_readsWritesPerSecondBlockSizeAndSyncLatency() throws IOException {
        Fio.Run run = Fio.parse(realReport(), "growing");

        assertThat(run.job()).isEqualTo("growing");
        assertThat(run.blockBytes()).isEqualTo(150_016);
        assertThat(run.writes()).isEqualTo(175);
        assertThat(run.runtimeMillis()).isEqualTo(997);
        assertThat(run.writesPerSec()).isCloseTo(175.52658, within(1e-6));
        assertThat(run.fdatasyncMeanMicros()).isCloseTo(5608.37, within(0.01));
    }

    @Test
    void parse_warningsBeforeTheJson_areSkipped() throws IOException {
        Fio.Run run = Fio.parse("fio: something to say\n" + realReport(), "preallocated");

        assertThat(run.writes()).isEqualTo(175);
    }

    @Test
    void parse_notJson_failsSayingWhatFioPrinted() {
        assertThatThrownBy(() -> Fio.parse("fio: unrecognized option '--fdatasync'", "growing"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("fio printed no JSON report")
                .hasMessageContaining("unrecognized option");
    }

    @Test
    void parse_jobError_failsNamingTheJob() {
        assertThatThrownBy(() -> Fio.parse("{\"jobs\": [{\"jobname\": \"growing\", \"error\": 28, \"write\": {}}]}", "growing"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("job 'growing' failed with error 28");
    }

    @Test
    void parse_noWrites_fails() {
        assertThatThrownBy(() -> Fio.parse("{\"jobs\": [{\"jobname\": \"g\", \"error\": 0, "
                + "\"write\": {\"total_ios\": 0, \"runtime\": 0}}]}", "growing"))
                .hasMessageContaining("reports no writes");
    }

    @Test
    void command_growingFile_isOneWritePlusFdatasyncPerGroupWithoutPreallocation() {
        assertThat(Fio.command("fio", Path.of("/d/fio-growing"), 4096, 3, false, 1 << 30))
                .contains("--rw=write", "--ioengine=psync", "--bs=4096", "--fdatasync=1", "--runtime=3",
                        "--output-format=json", "--fallocate=none", "--filename=/d/fio-growing")
                .doesNotContain("--time_based");
    }

    @Test
    void command_preallocatedFile_isLaidOutThenOverwrittenForTheWholeRuntime() {
        assertThat(Fio.command("fio", Path.of("/d/fio-preallocated"), 4096, 3, true, 1 << 20))
                .contains("--overwrite=1", "--time_based", "--size=1048576")
                .doesNotContain("--fallocate=none");
    }
}
