package io.edgefn.benchmarks.footprint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the launcher decides, asked of the launcher's own shell functions
 * ({@code scripts/lib/find-java.sh}) so that the benchmark measures exactly what a user runs: the
 * gateway's JVM flags ({@code edgefn_jvm_flags}, or the {@code edgefn.gatewayJvmFlags} property
 * {@code ./edgefn bench} passes) and whether the AOT cache would be used
 * ({@code edgefn_aot_flags}).
 *
 * <p>Stateless; safe from any thread.
 */
final class LauncherFlags {

    private LauncherFlags() {
    }

    /** The gateway's JVM flags, as the launcher passes them to {@code edgefn-all.jar}. */
    static List<String> gatewayFlags(Path root) throws IOException, InterruptedException {
        String given = System.getProperty("edgefn.gatewayJvmFlags", "").strip();
        String flags = !given.isEmpty() ? given : shell(root, "edgefn_jvm_flags").strip();
        return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
    }

    /** The flags the launcher adds for {@code cache} with {@code jar} and {@code flags}: empty when it would not use it. */
    static List<String> aotFlags(Path root, Path cache, Path jar, List<String> flags) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(cache.toString(), jar.toString()));
        args.addAll(flags);
        String out = shell(root, "edgefn_aot_flags \"$@\"", args.toArray(String[]::new)).strip();
        return out.isEmpty() ? List.of() : Arrays.asList(out.split("\\s+"));
    }

    private static String shell(Path root, String call, String... args) throws IOException, InterruptedException {
        Path script = root.resolve("scripts/lib/find-java.sh");
        List<String> command = new ArrayList<>(List.of("bash", "-c",
                ". \"$EDGEFN_FIND_JAVA\" && JAVA_MAJOR=\"$EDGEFN_MAJOR\" && " + call, "bash"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("EDGEFN_FIND_JAVA", script.toString());
        pb.environment().put("EDGEFN_MAJOR", Integer.toString(Runtime.version().feature()));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("asking " + script + " for " + call + " failed: " + out);
        }
        return out;
    }
}
