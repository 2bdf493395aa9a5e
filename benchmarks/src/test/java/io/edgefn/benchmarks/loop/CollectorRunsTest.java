package io.edgefn.benchmarks.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CollectorRunsTest {

    @Test
    void childCommand_replacesTheParentsCollectorAndLogsSafepoints() {
        LoopOptions o = LoopOptions.parse(List.of("--trials", "11", "--rounds", "2", "--seed", "7", "--no-burn"));

        List<String> c = CollectorRuns.childCommand(o, "ZGC", 1, Path.of("/tmp/x.log"),
                List.of("-XX:+UseSerialGC", "-Xlog:gc", "-Dedgefn.home=/w", "--enable-native-access=ALL-UNNAMED"),
                "/jdk/bin/java", "bench.jar");

        assertThat(c).startsWith("/jdk/bin/java", "-Dedgefn.home=/w", "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseZGC", "-Xlog:safepoint:file=/tmp/x.log:uptime", "-cp", "bench.jar",
                LoopBench.class.getName(), "--child");
        assertThat(c).doesNotContain("-XX:+UseSerialGC", "-Xlog:gc");
        assertThat(String.join(" ", c)).contains("--trials 5 --warmup 20 --seed 8 --no-burn");
    }
}
