package io.edgefn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.runtime.internal.RawHttp.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of idle local connections against a host whose file descriptors are few: the API
 * keeps answering, because it holds no more connections than its cap however many arrive.
 */
class ManagementApiIT {

    /**
     * The child's descriptor limit: above what the JVM (one descriptor per jar of this module's
     * test class path, which grew when GraalJS, WireMock and Vert.x Web joined it) and the API's
     * 64 connections need, well below the flood.
     */
    private static final int DESCRIPTOR_LIMIT = 512;
    private static final int IDLE_CONNECTIONS = 800;

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void moreIdleConnectionsThanDescriptors_healthStillAnswers() throws Exception {
        Path output = dir.resolve("server.out");
        Process server = new ProcessBuilder(List.of("/bin/sh", "-c", "ulimit -n " + DESCRIPTOR_LIMIT + " && exec \"$@\"",
                "sh", ProcessHandle.current().info().command().orElse("java"), "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ManagementApiServer.class.getName(), dir.toString()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        List<Socket> idle = new ArrayList<>();
        try {
            int port = await().atMost(Duration.ofSeconds(20)).until(() -> portIn(output), Optional::isPresent).get();
            for (int i = 0; i < IDLE_CONNECTIONS; i++) {
                idle.add(new Socket(InetAddress.getLoopbackAddress(), port));
            }
            Response health;
            try {
                health = RawHttp.request(port, "GET", "/health", RawHttp.host(port));
            } catch (java.io.IOException e) {
                throw new AssertionError("GET /health got no answer with " + IDLE_CONNECTIONS + " idle connections open; the"
                        + " server printed:\n" + Files.readString(output), e);
            }
            assertThat(health.body()).startsWith("{\"healthy\":");
            assertThat(server.isAlive()).isTrue();
        } finally {
            for (Socket s : idle) {
                s.close();
            }
            server.destroyForcibly();
        }
    }

    private static Optional<Integer> portIn(Path output) throws IOException {
        return Files.readAllLines(output).stream().filter(l -> l.startsWith("port "))
                .map(l -> Integer.parseInt(l.substring(5).trim())).findFirst();
    }
}
