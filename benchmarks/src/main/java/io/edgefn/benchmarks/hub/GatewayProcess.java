package io.edgefn.benchmarks.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.benchmarks.ChildProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An edgefn gateway as a user runs it: {@code java -jar edgefn-all.jar run …} in a process of its
 * own, so that its memory is measured apart from the benchmark's clients. Started with a plain
 * MQTT port and an upstream link; {@link #mqttPlainPort()} is read from its ready line, and
 * {@link #peakRssMb()} from {@code /proc/<pid>/status} ({@code VmHWM}).
 *
 * <p>Not thread-safe: one benchmark thread drives it.
 */
final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final JsonNode ready;

    private GatewayProcess(Process process, JsonNode ready) {
        this.process = process;
        this.ready = ready;
    }

    /** The JVM flags the {@code ./edgefn} launcher passes on JDK 23 and later. */
    static List<String> jvmFlags() {
        return List.of("-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED",
                "-Dpolyglot.engine.WarnInterpreterOnly=false", "--sun-misc-unsafe-memory-access=allow");
    }

    /** Runs {@code jar} with {@code args} to completion and returns its stdout (for {@code devices add}). */
    static String runTool(Path jar, Path log, String... args) throws IOException, InterruptedException {
        List<String> command = command(jar, args);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("edgefn " + String.join(" ", args) + " failed (see " + log + ")");
        }
        return out.trim();
    }

    private static List<String> command(Path jar, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        // A profiling aid: e.g. -Dedgefn.bench.gatewayJvmArgs=-XX:StartFlightRecording=filename=gw.jfr
        String extra = System.getProperty("edgefn.bench.gatewayJvmArgs", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        return command;
    }

    /** Starts {@code edgefn run} with {@code args} and waits (up to a minute) for its ready line. */
    static GatewayProcess start(Path jar, Path log, String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(jar, args)).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<JsonNode> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.contains("\"event\":\"ready\"")) {
                        return new ObjectMapper().readTree(line);
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        try {
            JsonNode line = ready.get(60, TimeUnit.SECONDS);
            if (line == null) {
                throw new IllegalStateException("edgefn run exited before it was ready (see " + log + ")");
            }
            // Keep draining its stdout so it never blocks on a full pipe.
            Thread.ofPlatform().daemon().name("bench-gateway-stdout").start(() -> {
                try {
                    while (out.readLine() != null) {
                        // discard
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            return new GatewayProcess(p, line);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException("edgefn run was not ready within 60 s (see " + log + ")", e);
        }
    }

    /** The plain MQTT port it reported. */
    int mqttPlainPort() {
        return ready.path("mqttPlainPort").asInt();
    }

    /** Its peak resident memory so far, in MiB ({@code VmHWM}), or -1 where /proc has none. */
    long peakRssMb() {
        try {
            java.util.OptionalLong kb = ChildProcesses.statusKb(process.pid(), "VmHWM");
            return kb.isPresent() ? kb.getAsLong() / 1024 : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Stops it with SIGTERM (it drains and exits), forcibly after 30 s. */
    @Override
    public void close() {
        ChildProcesses.stop(process);
    }
}
