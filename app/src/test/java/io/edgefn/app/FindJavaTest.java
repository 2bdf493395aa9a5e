package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the scripts find a JDK ({@code edgefn_find_java} in {@code scripts/lib/find-java.sh}), run by
 * bash against stand-in {@code java} binaries that report the version they are told to.
 */
class FindJavaTest {

    @TempDir
    Path dir;

    @Test
    void onlyAJdk17_failsWithAMessageNamingIt_notDeepInMaven() throws Exception {
        Path old = fakeJdk("jdk-17", 17);
        Result r = findJava(Map.of("JAVA_HOME", old.toString()));

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.output()).contains("no JDK 21 or newer found").contains("JDK 17: " + old.resolve("bin/java"))
                .contains("set JAVA_HOME");
    }

    @Test
    void aNewEnoughJdkInTheSystemFolder_isFound_besideAnOldJavaHome() throws Exception {
        Path old = fakeJdk("jdk-17", 17);
        Path newer = fakeJdk("jdk-25", 25);
        Result r = findJava(Map.of("JAVA_HOME", old.toString(), "EDGEFN_JVM_DIRS", newer.getParent().toString()));

        assertThat(r.status()).as(r.output()).isZero();
        assertThat(r.output()).contains("found " + newer.resolve("bin/java") + " 25");
    }

    private Path fakeJdk(String name, int major) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("jvms").resolve(name).resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho '    java.specification.version = " + major + "' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin.getParent();
    }

    private record Result(int status, String output) {
    }

    /** Runs edgefn_find_java with {@code env} (and no other JDK: an empty PATH entry for java, no system folder). */
    private Result findJava(Map<String, String> env) throws Exception {
        Path script = repositoryRoot().resolve("scripts/lib/find-java.sh");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                ". \"$0\" && edgefn_find_java && echo \"found $JAVA_BIN $JAVA_MAJOR\"", script.toString())
                .redirectErrorStream(true);
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("PATH", toolsOnly().toString());
        pb.environment().put("EDGEFN_JVM_DIRS", dir.resolve("none").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    /** A PATH folder with the tools the script uses and no {@code java}, whatever this machine has installed. */
    private Path toolsOnly() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("tools"));
        for (String tool : new String[] {"sed", "head", "dirname", "sh"}) {
            for (String folder : new String[] {"/usr/bin", "/bin"}) {
                Path real = Path.of(folder, tool);
                if (Files.isExecutable(real) && !Files.exists(bin.resolve(tool))) {
                    Files.createSymbolicLink(bin.resolve(tool), real);
                }
            }
        }
        return bin;
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
