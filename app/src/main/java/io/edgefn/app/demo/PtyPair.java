package io.edgefn.app.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A pair of connected pseudo-terminals made by {@code socat}: what one end writes, the other
 * reads, through the kernel's tty layer — the same path a USB serial adapter takes. The demo and
 * the loop benchmark run the MCU simulator on one end and the host on the other.
 *
 * <p>Closing kills socat, which closes both ends.
 */
public final class PtyPair implements AutoCloseable {

    private final Process socat;
    private final Path gatewayEnd;
    private final Path deviceEnd;

    private PtyPair(Process socat, Path gatewayEnd, Path deviceEnd) {
        this.socat = socat;
        this.gatewayEnd = gatewayEnd;
        this.deviceEnd = deviceEnd;
    }

    /** Whether {@code socat} can be run here. */
    public static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "socat"))) {
                return true;
            }
        }
        return false;
    }

    /** Starts socat with both ends linked inside {@code directory}; waits until both exist. */
    public static PtyPair open(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path gateway = directory.resolve("tty-gateway");
        Path device = directory.resolve("tty-device");
        Files.deleteIfExists(gateway);
        Files.deleteIfExists(device);
        Process process = new ProcessBuilder(List.of("socat", "-d", "-d",
                "pty,raw,echo=0,link=" + gateway, "pty,raw,echo=0,link=" + device))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        try {
            // socat creates the links a few milliseconds after it starts; nothing to wait on but the files.
            while (!(Files.exists(gateway) && Files.exists(device))) {
                if (!process.isAlive()) {
                    throw new IOException("socat exited with status " + process.exitValue() + " before creating the ptys");
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("socat did not create " + gateway + " and " + device + " within 5 s");
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for socat", e);
        }
        return new PtyPair(process, gateway, device);
    }

    /** The end the gateway (the host's driver) opens. */
    public Path gatewayEnd() {
        return gatewayEnd;
    }

    /** The end the MCU (or its simulator) talks on. */
    public Path deviceEnd() {
        return deviceEnd;
    }

    @Override
    public void close() {
        socat.destroy();
        try {
            if (!socat.waitFor(2, TimeUnit.SECONDS)) {
                socat.destroyForcibly();
            }
        } catch (InterruptedException e) {
            socat.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
