package io.edgefn.benchmarks.loop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The benchmark as a user runs it: the shaded benchmarks jar in a child JVM, through
 * {@code BenchCommand loop}, over a real socat pty pair, with the CPU burner. No assertion on the
 * latencies: speed targets belong to the benchmark, not the tests.
 */
class LoopBenchIT {

    private static final Path JAR = Path.of("target", "benchmarks.jar");

    @Test
    void shortLoopWithTheBurner_missesNoTrialAndEndsWithTheJsonLine() throws Exception {
        Run run = runBench("loop", "--trials", "20", "--warmup", "3");

        assertThat(run.status()).as("exit status; stderr:%n%s", run.stderr()).isZero();
        List<String> lines = run.stdout().lines().filter(l -> !l.isBlank()).toList();
        JsonNode json = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertThat(json.fieldNames()).toIterable()
                .contains("trials", "p50Millis", "p99Millis", "maxMillis", "missed", "burning");
        assertThat(json.get("trials").asInt()).isEqualTo(20);
        assertThat(json.get("missed").asLong()).isZero();
        assertThat(json.get("spuriousShutdowns").asLong()).isZero();
        assertThat(json.get("burning").asBoolean()).isTrue();
        assertThat(json.get("burnerTicks").asLong()).as("cpu-burner ticks run").isPositive();
        assertThat(json.get("p50Millis").asDouble()).isPositive();
        assertThat(run.stdout()).contains("reading -> COMMAND");
        assertThat(run.stderr()).contains("loop: 20/20 trials");
    }

    @Test
    void badArgument_exitsWith2AndNamesIt() throws Exception {
        Run run = runBench("loop", "--trials", "lots");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("--trials needs a whole number, was 'lots'");
        assertThat(run.stdout()).isEmpty();
    }

    private record Run(int status, String stdout, String stderr) {
    }

    private static Run runBench(String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the shaded jar (built in package, before the integration tests)").exists();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", JAR.toString(), "io.edgefn.benchmarks.BenchCommand"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<String> stdout = read(process.getInputStream());
        CompletableFuture<String> stderr = read(process.getErrorStream());
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the benchmark did not finish within 90 s; stderr so far:\n" + stderr.getNow(""));
        }
        return new Run(process.exitValue(), stdout.join(), stderr.join());
    }

    private static CompletableFuture<String> read(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
