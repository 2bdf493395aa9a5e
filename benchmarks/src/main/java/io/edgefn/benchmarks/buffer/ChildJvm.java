package io.edgefn.benchmarks.buffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a class's {@code main} in a JVM of its own: the same {@code java} and class path as this
 * one, the same flags for every contender ({@code -Xmx1g}, native access for SQLite's and RocksDB's
 * JNI and the FFM API). Its stderr passes through; stdout is for the caller to read. Stateless.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /** Starts {@code mainClass} with {@code args}. */
    static Process start(Class<?> mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /**
     * Runs {@code mainClass} to its end and returns the last line it printed on stdout.
     *
     * @throws IOException if it exits with a status other than 0 or prints nothing
     */
    static String lastLine(Class<?> mainClass, String... args) throws IOException, InterruptedException {
        Process p = start(mainClass, args);
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    last = line;
                }
            }
        }
        int status = p.waitFor();
        if (status != 0 || last == null) {
            throw new IOException(mainClass.getSimpleName() + " " + String.join(" ", args) + " failed (exit " + status
                    + (last == null ? ", no output" : ", last line: " + last) + "); its stderr is above");
        }
        return last;
    }
}
