package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.app.cli.EdgefnCommand;
import io.edgefn.testing.InMemoryCompiler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgefn run} as a real process, with a function that reaches {@code System.exit(0)} by a
 * route the package scan cannot see: the process must fail, and say who exited.
 */
class UnexpectedExitIT {

    @TempDir
    Path dir;

    private Process process;

    @AfterEach
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void aFunctionCallingSystemExit_makesRunExitNonZero_namingTheCaller() throws Exception {
        // The class and method names are assembled at run time: no scan of the bytecode can see them.
        Path jar = InMemoryCompiler.withClassPathProcessors().compile("t.Exiter", """
                package t;
                import io.edgefn.api.*;
                @EdgeFunction("exiter")
                public class Exiter {
                    @TimerTrigger(fixedRate = "PT1S")
                    public void tick() {
                        // On a virtual thread of its own, which no list of the JVM's threads shows.
                        Thread.ofVirtual().start(Exiter::exit);
                    }
                    private static void exit() {
                        try {
                            Class<?> system = Class.forName(new StringBuilder("metsyS.gnal.avaj").reverse().toString());
                            system.getMethod(new StringBuilder("tixe").reverse().toString(), int.class).invoke(null, 0);
                        } catch (ReflectiveOperationException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }""").orThrow().writeJar(dir.resolve("exiter.jar"));
        Path deployment = dir.resolve("deployment.json");
        Files.writeString(deployment, """
                {"packages": {"t": {"file": "%s"}},
                 "routes": {"up": "FROM /messages/modules/* INTO $upstream"}}""".formatted(jar.toString().replace("\\", "\\\\")));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = dir.resolve("stderr.txt");
        process = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                EdgefnCommand.class.getName(), "run", "--deployment", deployment.toString(),
                "--data-dir", dir.resolve("data").toString(), "--http-port", "0", "--mqtt-port", "0", "--gateway-id", "gw-test"))
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(stderr.toFile())
                .start();
        // A hang guard: the function exits on its first tick, a second after it started.
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process ended").isTrue();

        String err = Files.readString(stderr);
        assertThat(process.exitValue()).as("exit status; stderr: %s", err).isEqualTo(70);
        assertThat(err).contains("System.exit/Runtime.exit(0) was called by t.Exiter.exit (Exiter.java:")
                .contains("not by the host")
                .contains("t.Exiter.exit(Exiter.java:")
                .contains("on thread VirtualThread[")
                .contains("stopped.")
                .contains("exiting with status 70");
    }
}
