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
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark as a user runs it: the shaded benchmarks jar in a child JVM, through
 * {@code BenchCommand loop}, which runs each collector in JVMs of its own, over a real socat pty
 * pair, with the CPU burner; a tiny run (6 trials per collector). No assertion on the
 * latencies: speed targets belong to the benchmark, not the tests.
 */
class LoopBenchIT {

    private static final Path JAR = Path.of("target", "benchmarks.jar");

    @Test
    void shortLoopWithTheBurnerUnderTwoCollectors_timesTheAckLegAndSavesTheJson(@TempDir Path results) throws Exception {
        Run run = runBench(results, "loop", "--quick", "--trials", "6", "--warmup", "2", "--collectors", "Serial,G1");

        List<String> lines = run.stdout().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("stdout; stderr:%n%s", run.stderr()).isNotEmpty();
        JsonNode json = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        long missed = json.get("missedAllCollectors").asLong();
        assertThat(run.status()).as("exit status (1 only when a trial missed); stderr:%n%s", run.stderr())
                .isEqualTo(missed > 0 ? 1 : 0);
        assertThat(json.get("headlineCollector").asText()).isEqualTo("Serial");
        assertThat(json.get("byCollector").fieldNames()).toIterable().containsExactly("Serial", "G1");
        assertThat(json.get("trials").asInt()).isEqualTo(6);
        assertThat(json.get("spuriousShutdowns").asLong()).isZero();
        assertThat(json.get("burning").asBoolean()).isTrue();
        assertThat(json.get("burnerTicks").asLong()).as("cpu-burner ticks run").isPositive();
        assertThat(json.get("burnerCores").isNumber()).isTrue();

        // The ACK leg is timed: the loop ends after the MCU decoded the COMMAND, in every trial
        JsonNode stages = json.get("stages");
        assertThat(stages.get("ackBack").get("trials").asInt()).isEqualTo(6);
        assertThat(stages.get("ackBack").get("measured").asInt() + stages.get("ackBack").get("infinite").asInt()
                + stages.get("ackBack").get("notReached").asInt()).isEqualTo(6);
        if (missed == 0) {
            assertThat(json.get("p50Millis").asDouble())
                    .isGreaterThan(stages.get("commandAtMcu").get("p50Millis").asDouble());
            assertThat(json.get("maxMillis").asDouble())
                    .isGreaterThan(stages.get("commandAtMcu").get("maxMillis").asDouble());
            assertThat(stages.get("ackBack").get("measured").asInt()).isEqualTo(6);
        }
        for (String stage : List.of("driverIn", "functions", "inAndFunctions", "driverOut", "ackBack", "driverOnly")) {
            assertThat(stages.get(stage).get("trials").asInt()).as(stage + " accounts for every trial").isEqualTo(6);
        }

        // What the OS says about the priorities, the collectors' pauses, the wire
        JsonNode priorities = json.get("priorities");
        assertThat(priorities.get("safety").get("threads").size()).isPositive();
        assertThat(priorities.get("ordinary").get("policies").toString()).contains("SCHED_");
        assertThat(json.get("byCollector").get("Serial").get("safepoints").has("maxMillis")).isTrue();
        assertThat(json.get("byCollector").get("Serial").get("gcBeans").fieldNames()).toIterable().contains("Copy");
        assertThat(json.get("wire").get("commandBytes").asInt()).isBetween(20, 300);
        assertThat(json.get("wire").get("perBaud").fieldNames()).toIterable()
                .containsExactly("9600", "115200", "921600", "3000000");

        assertThat(run.stdout()).contains("stages, Serial").contains("wire time");
        assertThat(run.stderr()).contains("[Serial 1/1] loop: 6/6 trials").contains("[G1 1/1] loop: 6/6 trials");
        JsonNode saved = new ObjectMapper().readTree(results.resolve("quick").resolve("loop.json").toFile());
        assertThat(saved.get("result").get("trials").asInt()).isEqualTo(6);
        assertThat(saved.get("command").asText()).startsWith("./edgefn bench loop --quick");
    }

    @Test
    void badArgument_exitsWith2AndNamesIt() throws Exception {
        Run run = runBench(null, "loop", "--trials", "lots");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).contains("--trials needs a whole number, was 'lots'");
        assertThat(run.stdout()).isEmpty();
    }

    private record Run(int status, String stdout, String stderr) {
    }

    private static Run runBench(Path results, String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the shaded jar (built in package, before the integration tests)").exists();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", JAR.toString(), "io.edgefn.benchmarks.BenchCommand"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (results != null) {
            builder.environment().put("EDGEFN_BENCH_RESULTS", results.toString());
        }
        Process process = builder.start();
        CompletableFuture<String> stdout = read(process.getInputStream());
        CompletableFuture<String> stderr = read(process.getErrorStream());
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the benchmark did not finish within 180 s; stderr so far:\n" + stderr.getNow(""));
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
