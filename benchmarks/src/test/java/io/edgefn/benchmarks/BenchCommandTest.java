package io.edgefn.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class BenchCommandTest {

    /** Records what it was called with, standing in for a benchmark class. */
    public static final class RecordingBench {
        static final List<List<String>> CALLS = new CopyOnWriteArrayList<>();

        public static void main(String[] args) {
            CALLS.add(List.of(args));
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int dispatch(Map<String, String> benchmarks, String... args) throws Throwable {
        return BenchCommand.dispatch(args, benchmarks, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void dispatch_knownBenchmark_callsItsMainWithTheRest() throws Throwable {
        int status = dispatch(Map.of("loop", RecordingBench.class.getName()), "loop", "--quick", "--trials", "3");

        assertThat(status).isZero();
        assertThat(RecordingBench.CALLS).contains(List.of("--quick", "--trials", "3"));
    }

    @Test
    void dispatch_unknownBenchmark_printsUsageAndReturns2() throws Throwable {
        int status = dispatch(Map.of("loop", RecordingBench.class.getName()), "lop");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown benchmark 'lop'").contains("usage: edgefn bench");
    }

    @Test
    void dispatch_noArguments_printsUsageAndReturns2() throws Throwable {
        assertThat(dispatch(Map.of())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("none was given").contains("usage: edgefn bench");
    }

    @Test
    void dispatch_benchmarkMissingFromTheBuild_saysSoAndReturns1() throws Throwable {
        int status = dispatch(Map.of("buffer", "io.edgefn.benchmarks.nowhere.NoSuchBench"), "buffer");

        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("'buffer' benchmark is not in this build").contains("io.edgefn.benchmarks.nowhere.NoSuchBench");
    }

    @Test
    void dispatch_help_printsUsageOnStdout() throws Throwable {
        assertThat(dispatch(Map.of(), "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: edgefn bench").contains("loop");
    }
}
