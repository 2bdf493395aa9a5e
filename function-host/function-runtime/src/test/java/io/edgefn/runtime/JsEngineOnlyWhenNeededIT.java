package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.deploy.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host with only Java functions never loads the GraalVM JavaScript engine: its classes (tens of
 * megabytes of metaspace and code) stay on disk unless a JavaScript function is deployed. Checked
 * in a JVM of its own, whose class loading is logged, since this test JVM may have loaded the
 * engine for other tests.
 */
class JsEngineOnlyWhenNeededIT {

    private static final String ECHO = """
            package t;
            import io.edgefn.api.*;
            @EdgeFunction("echo")
            public class Echo {
                @RouteTrigger(input = "in")
                @SendTo("out")
                public String onIn(String body) { return body; }
            }
            """;

    @TempDir
    Path dir;

    /** The child JVM: starts a host with {@code args[0]}'s Java-only package in {@code args[1]}, then stops it. */
    public static void main(String[] args) throws Exception {
        String json = """
                {"packages": {"echo": {"file": "%s"}},
                 "routes": {"in": "FROM /messages/* INTO BrokeredEndpoint(\\"/modules/echo/inputs/in\\")",
                            "up": "FROM /messages/modules/echo/outputs/* INTO $upstream"}}
                """.formatted(args[0]);
        Path data = Path.of(args[1]);
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "test deployment", data);
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(data.resolve("host")).build().start()) {
            System.out.println("started with " + host.stats().functions().keySet());
        }
    }

    @Test
    void aJavaOnlyHost_loadsNoPolyglotClass() throws Exception {
        Path jar = TestPackages.build(dir, "echo", Map.of("t.Echo", ECHO));
        Path classes = dir.resolve("classes.log");
        Path out = dir.resolve("out.txt");
        Process child = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + classes, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), JsEngineOnlyWhenNeededIT.class.getName(),
                jar.toString(), dir.toString()))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the host started and stopped; output: %s",
                    Files.readString(out)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as("output: %s", Files.readString(out)).isZero();
        assertThat(Files.readString(out)).contains("started with [echo]");
        String loaded = Files.readString(classes);
        assertThat(loaded).as("the class-load log works").contains("io.edgefn.runtime.internal.RunningHost");
        assertThat(loaded.lines().filter(l -> l.contains("org.graalvm.polyglot") || l.contains("com.oracle.truffle")))
                .as("polyglot or Truffle classes loaded by a Java-only host").isEmpty();
    }
}
