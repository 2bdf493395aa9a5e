package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the launcher uses the AOT cache ({@code edgefn_aot_flags} in
 * {@code scripts/lib/find-java.sh}): only with a stamp that matches the jar, the JDK and the
 * flags, never on a JDK without AOT caches, never when turned off; and the JVM it guards against
 * still starts with a cache it cannot use.
 */
class LauncherAotIT {

    @TempDir
    Path dir;

    private String shell(String call, String major, String... env) throws Exception {
        Path script = repositoryRoot().resolve("scripts/lib/find-java.sh");
        List<String> command = new ArrayList<>(List.of("bash", "-c", ". \"$0\" && JAVA_MAJOR=\"$1\" && " + call,
                script.toString(), major));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JAR", dir.resolve("edgefn-all.jar").toString());
        pb.environment().put("CACHE", dir.resolve("edgefn-all.aot").toString());
        for (int i = 0; i + 1 < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", call, out).isZero();
        return out;
    }

    @Test
    void theCache_isUsedOnlyWhenItsStampMatches() throws Exception {
        Path jar = Files.writeString(dir.resolve("edgefn-all.jar"), "a jar");
        Files.writeString(dir.resolve("edgefn-all.aot"), "a cache");
        String flags = "-XX:+UseSerialGC -Xmx128m";
        String use = "edgefn_aot_flags \"$CACHE\" \"$JAR\" " + flags;
        assertThat(shell(use, "25")).as("no stamp: not recorded by the recipe").isEmpty();

        shell("edgefn_aot_stamp \"$JAR\" " + flags + " > \"$CACHE.stamp\"", "25");
        assertThat(shell(use, "25")).isEqualTo("-XX:AOTMode=auto -XX:AOTCache=" + dir.resolve("edgefn-all.aot"));
        assertThat(shell("edgefn_aot_flags \"$CACHE\" \"$JAR\" -XX:+UseG1GC", "25")).as("other flags").isEmpty();
        assertThat(shell(use, "25", "EDGEFN_AOT", "off")).as("turned off").isEmpty();
        assertThat(shell(use, "21")).as("a JDK without AOT caches").isEmpty();

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        assertThat(shell(use, "25")).as("a rebuilt jar").isEmpty();
    }

    @Test
    void theJvm_startsAllTheSame_withACacheItCannotUse() throws Exception {
        Path garbage = Files.writeString(dir.resolve("stale.aot"), "not an AOT cache");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:AOTMode=auto", "-XX:AOTCache=" + garbage, "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("version");
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
