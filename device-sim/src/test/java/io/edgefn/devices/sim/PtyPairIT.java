package io.edgefn.devices.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A pty pair's socat lives no longer than the JVM that opened it, however that JVM ends. */
class PtyPairIT {

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void socat_diesWithAJvmKilledOutright() throws Exception {
        Path ttys = dir.resolve("tty");
        Process holder = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), PtyPairHolder.class.getName(), ttys.toString()))
                .redirectErrorStream(true)
                .start();
        ProcessHandle socat = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).as("the holder JVM's first line").startsWith("ready");
            socat = holder.toHandle().children()
                    .filter(p -> p.info().command().map(c -> c.endsWith("/socat")).orElse(false))
                    .findFirst().orElseThrow(() -> new AssertionError("no socat among the holder's children"));
            assertThat(Files.exists(ttys.resolve("tty-gateway"))).isTrue();

            holder.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();

            ProcessHandle orphan = socat;
            await().atMost(Duration.ofSeconds(10)).until(() -> gone(orphan));
            assertThat(ttys.resolve("tty-gateway")).doesNotExist();
            assertThat(ttys.resolve("tty-device")).doesNotExist();
        } finally {
            holder.destroyForcibly();
            if (socat != null && !gone(socat)) {
                socat.destroyForcibly();
            }
        }
    }

    /**
     * Whether {@code p} has ended. An orphan is reaped by init, but some containers' pid 1 reaps
     * nothing, and {@link ProcessHandle#isAlive} counts a zombie as alive: a zombie has ended.
     */
    private static boolean gone(ProcessHandle p) throws IOException {
        if (!p.isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (NoSuchFileException e) {
            return true;
        }
    }
}
