package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgefn.api.Message;
import io.edgefn.deploy.Deployment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.edgefn.testing.SmallDisk;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host whose data directory's disk fills: {@code /health} answers 503 while the offline buffer
 * cannot write, and 200 again once it can. The disk is a real 2 MiB tmpfs (mounting needs root,
 * which the build machine has; elsewhere the test is skipped with the reason).
 */
class DiskFullHealthIT {
    @TempDir
    Path tmp;
    private SmallDisk disk;
    private Path mount;

    @BeforeEach
    void mountTmpfs() throws Exception {
        disk = SmallDisk.mount(tmp.resolve("small-disk"), "2m");
        assumeTrue(disk.mounted(), disk.problem());
        mount = disk.root();
    }

    @AfterEach
    void unmount() throws Exception {
        disk.close();
    }

    private static int health(HttpClient http, int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void fullDisk_degradesHealthUntilTheBufferWritesAgain() throws Exception {
        Deployment deployment = Deployment.parse("""
                {"routes": {"up": "FROM /messages/* INTO $upstream"}}""".getBytes(StandardCharsets.UTF_8),
                "disk full deployment", tmp);
        HttpClient http = HttpClient.newHttpClient();
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(mount.resolve("data"))
                .httpPort(0).build().start()) {
            assertThat(health(http, host.httpPort())).isEqualTo(200);
            Path filler = mount.resolve("filler");
            Files.write(filler, new byte[1984 * 1024]);
            Message reading = Message.builder().body("x".repeat(1000)).build();
            for (int i = 0; i < 10_000 && !host.stats().buffer().diskFull(); i++) {
                try {
                    host.submit(reading).get();
                } catch (ExecutionException refusedByTheDisk) {
                    // expected once it is full
                }
            }
            assertThat(host.stats().buffer().diskFull()).as("the disk filled").isTrue();
            assertThat(health(http, host.httpPort())).as("health while the disk is full").isEqualTo(503);

            Files.delete(filler);
            host.submit(reading).get();
            assertThat(host.stats().buffer().diskFull()).isFalse();
            assertThat(health(http, host.httpPort())).isEqualTo(200);
        }
    }
}
