package io.edgefn.devices.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A pair of connected pseudo-terminals made by {@code socat}, reachable through two symlinks in a
 * directory: what one end writes, the other reads, through the kernel's tty layer — the same path
 * a USB serial adapter takes. The demo, the loop benchmark and the serial tests run the MCU (or
 * its simulator) on one end and the gateway on the other.
 *
 * <p>{@link #kill()} ends socat, so both ends vanish as if the cable were pulled;
 * {@link #restart()} makes a fresh pair behind the same links; {@link #close()} ends it for good.
 *
 * <p>socat dies with this JVM however the JVM ends, {@code SIGKILL} included: a demo killed
 * outright must not leave its ptys behind. socat has no option for that, and a parent-death
 * signal ({@code setpriv --pdeathsig}) fires when the thread that started the child ends, not
 * the JVM. So socat is started through {@code sh} (the {@code WATCHDOG} script), which forks a
 * watchdog holding the read end of a pipe from the JVM and then {@code exec}s socat, keeping the
 * pid, so the {@link Process} here is socat itself. The JVM never writes to that pipe: the
 * watchdog's {@code read} returns when the kernel closes the JVM's end, that is when the JVM is
 * gone (or has let socat go), and then it sends socat {@code SIGTERM}, on which socat removes
 * its links and exits.
 *
 * <p>Not thread-safe: owned by the thread that opened it.
 */
public final class PtyPair implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(5);
    private static final Duration EXIT = Duration.ofSeconds(5);

    /**
     * Run as {@code sh -c WATCHDOG sh SOCAT ARGS…}. The JVM's pipe (standard input) moves to
     * descriptor 3, kept only by the watchdog; socat gets neither it nor a terminal as input. On
     * end of file the watchdog signals {@code $$}, the shell's pid that socat took over, but only
     * while socat is still its parent: once socat has exited on its own (and the JVM, reaping
     * it, closed the pipe), the watchdog has been handed to another parent and the pid may
     * already be someone else's. Without {@code /proc} it signals without that check.
     */
    private static final String WATCHDOG = """
            exec 3<&0 </dev/null
            {
                read -r _ <&3
                parent=$$
                [ -r /proc/self/stat ] && read -r _ _ _ parent _ </proc/self/stat
                [ "$parent" = "$$" ] && kill -TERM "$$"
            } >/dev/null 2>&1 &
            exec "$@" 3<&-
            """;

    private final Path gatewayEnd;
    private final Path deviceEnd;
    private Process socat;

    private PtyPair(Path gatewayEnd, Path deviceEnd) {
        this.gatewayEnd = gatewayEnd;
        this.deviceEnd = deviceEnd;
    }

    /** Whether {@code socat} is on the {@code PATH}. */
    public static boolean available() {
        return socat().isPresent();
    }

    /**
     * Starts socat with both ends linked inside {@code directory} (created if missing) as
     * {@code tty-gateway} and {@code tty-device}; returns once both links exist.
     *
     * @throws IOException when socat is missing, fails, or makes no ptys within 5 s
     */
    public static PtyPair open(Path directory) throws IOException {
        Files.createDirectories(directory);
        PtyPair pair = new PtyPair(directory.resolve("tty-gateway"), directory.resolve("tty-device"));
        pair.restart();
        return pair;
    }

    /** The end the gateway (the host's driver) opens. */
    public Path gatewayEnd() {
        return gatewayEnd;
    }

    /** The end the MCU (or its simulator) talks on. */
    public Path deviceEnd() {
        return deviceEnd;
    }

    /**
     * Starts a fresh socat behind the same two links (after {@link #kill()}); returns once both
     * exist.
     *
     * @throws IllegalStateException when socat is still running
     * @throws IOException           when socat is missing, fails, or makes no ptys within 5 s
     */
    public void restart() throws IOException {
        if (socat != null && socat.isAlive()) {
            throw new IllegalStateException("socat is still running for " + gatewayEnd + " <-> " + deviceEnd);
        }
        Path binary = socat().orElseThrow(() -> new IOException("socat is not on the PATH: apt-get install socat"));
        Files.deleteIfExists(gatewayEnd);
        Files.deleteIfExists(deviceEnd);
        socat = new ProcessBuilder(List.of("/bin/sh", "-c", WATCHDOG, "sh", binary.toString(), "-d", "-d",
                "pty,raw,echo=0,link=" + gatewayEnd, "pty,raw,echo=0,link=" + deviceEnd))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        awaitLinks();
    }

    /**
     * Ends socat and waits until it has exited; both ends vanish, links included, as an unplugged
     * cable would. Does nothing when socat is not running.
     */
    public void kill() throws InterruptedException, IOException {
        if (socat != null && socat.isAlive()) {
            socat.destroy();
            if (!socat.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
                socat.destroyForcibly().waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        // socat removes its links when it exits on a signal, but not when it is killed outright.
        Files.deleteIfExists(gatewayEnd);
        Files.deleteIfExists(deviceEnd);
    }

    /** Ends socat, closing both ends; idempotent, and never throws. */
    @Override
    public void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            socat.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // A stale link left in the caller's directory; the next open() replaces it.
        }
    }

    @Override
    public String toString() {
        return "pty pair " + gatewayEnd + " <-> " + deviceEnd;
    }

    private void awaitLinks() throws IOException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        try {
            // socat creates the links a few milliseconds after it starts; nothing to wait on but the files.
            while (!(Files.exists(gatewayEnd) && Files.exists(deviceEnd))) {
                if (!socat.isAlive()) {
                    throw new IOException("socat exited with status " + socat.exitValue() + " before creating the ptys");
                }
                if (System.nanoTime() > deadline) {
                    socat.destroyForcibly();
                    throw new IOException("socat did not create " + gatewayEnd + " and " + deviceEnd + " within "
                            + STARTUP.toSeconds() + " s");
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
        } catch (InterruptedException e) {
            socat.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for socat", e);
        }
    }

    private static Optional<Path> socat() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "socat");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
