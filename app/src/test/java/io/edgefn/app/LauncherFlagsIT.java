package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM flags the launcher runs the application with ({@code edgefn_jvm_flags} in
 * {@code scripts/lib/find-java.sh}), tried on a real JVM: out of memory ends the process.
 */
class LauncherFlagsIT {

    @TempDir
    Path dir;

    @Test
    void outOfMemory_endsTheProcess_insteadOfLeavingAZombie() throws Exception {
        Path script = repositoryRoot().resolve("scripts/lib/find-java.sh");
        Process flagsOf = new ProcessBuilder("bash", "-c", ". \"$0\" && JAVA_MAJOR=\"$1\" && edgefn_jvm_flags",
                script.toString(), Integer.toString(Runtime.version().feature())).redirectErrorStream(true).start();
        String flags = new String(flagsOf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(flagsOf.waitFor()).as("edgefn_jvm_flags: %s", flags).isZero();
        assertThat(flags.split(" ")).contains("-XX:+ExitOnOutOfMemoryError");

        // A thread runs out of memory while main waits for it forever: without the flag the
        // process would live on with that thread dead.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(Arrays.asList(flags.split(" ")));
        command.addAll(List.of("-Xmx32m", "-cp", System.getProperty("java.class.path"), OutOfMemoryProbe.class.getName()));
        Path out = dir.resolve("out.txt");
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            // A hang guard: the heap fills in well under a second.
            assertThat(probe.waitFor(60, TimeUnit.SECONDS)).as("the process ended; output: %s", Files.readString(out)).isTrue();
        } finally {
            probe.destroyForcibly();
        }
        assertThat(probe.exitValue()).as("exit status (3: the JVM's ExitOnOutOfMemoryError)").isEqualTo(3);
        assertThat(Files.readString(out)).contains("allocating").contains("Terminating due to java.lang.OutOfMemoryError");
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts/lib/find-java.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("no scripts/lib/find-java.sh above " + Path.of("").toAbsolutePath());
    }
}
