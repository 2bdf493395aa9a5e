package io.edgefn.devices.spherelink;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A pseudo-terminal pair made by a real {@code socat} process, reachable through two symlinks.
 * {@link #kill()} ends socat (both ends vanish, as an unplugged cable); {@link #restart()} makes a
 * fresh pair behind the same links. Not thread-safe: owned by the test.
 */
final class PtyPair implements AutoCloseable {
    private final Path gatewayLink;
    private final Path deviceLink;
    private Process socat;

    private PtyPair(Path dir) {
        this.gatewayLink = dir.resolve("gateway");
        this.deviceLink = dir.resolve("device");
    }

    static PtyPair start(Path dir) throws IOException {
        PtyPair p = new PtyPair(dir);
        p.restart();
        return p;
    }

    /** Starts socat and waits until both links exist. */
    void restart() throws IOException {
        Path socatBinary = Path.of("/usr/bin/socat");
        if (!Files.isExecutable(socatBinary)) {
            throw new IllegalStateException("socat is missing: apt-get install -y socat");
        }
        socat = new ProcessBuilder(socatBinary.toString(), "-d", "-d",
                "pty,raw,echo=0,link=" + gatewayLink, "pty,raw,echo=0,link=" + deviceLink)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(gatewayLink) && Files.exists(deviceLink));
    }

    /** Ends socat and waits until it has gone and removed its links. */
    void kill() throws InterruptedException {
        if (socat != null && socat.isAlive()) {
            socat.destroy();
            if (!socat.waitFor(5, TimeUnit.SECONDS)) {
                socat.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(gatewayLink) && !Files.exists(deviceLink));
    }

    String gatewayPath() {
        return gatewayLink.toString();
    }

    String devicePath() {
        return deviceLink.toString();
    }

    @Override
    public void close() {
        if (socat != null && socat.isAlive()) {
            try {
                socat.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
