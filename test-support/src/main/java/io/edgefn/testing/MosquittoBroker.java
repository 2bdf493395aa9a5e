package io.edgefn.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real Mosquitto broker process for integration tests, listening on {@code 127.0.0.1} on a free
 * port with a generated configuration.
 *
 * <p>The configuration allows anonymous clients (unless {@link Builder#passwordUser} is given),
 * keeps no limit on in-flight messages and queues up to {@value #MAX_QUEUED_MESSAGES} QoS 1
 * messages per persistent subscriber, so that a test's subscriber never loses what a fast
 * publisher sent while it was slow. It logs to {@code mosquitto.log} in the work directory, which
 * {@link #log()} reads back for failure messages. With {@link Builder#persistence(boolean)} the
 * broker saves its sessions on {@link #stop()} and reloads them on {@link #restart()}: a
 * subscriber with a persistent session ({@code cleanSession=false}) then misses nothing sent while
 * it was reconnecting. {@link #kill()} saves nothing, as a crash would.
 *
 * <p>Every broker still running when the JVM exits is killed by one shutdown hook, so a crashed
 * or interrupted test run leaves no stray process. Thread-safe: the lifecycle methods are
 * synchronized; {@link #port()} and {@link #url()} never change.
 */
public final class MosquittoBroker implements AutoCloseable {

    /** Most QoS 1 messages the broker queues for one persistent subscriber. */
    public static final int MAX_QUEUED_MESSAGES = 1_000_000;

    /** How long {@link #start} and {@link #restart} wait for the port to accept connections. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    /** How long {@link #stop} waits after SIGTERM before it sends SIGKILL. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "edgefn-mosquitto-reaper"));
    }

    private final Path workDir;
    private final Path config;
    private final Path logFile;
    private final int port;
    private final String executable;
    private Process process;
    private boolean closed;

    private MosquittoBroker(Path workDir, Path config, Path logFile, int port, String executable) {
        this.workDir = workDir;
        this.config = config;
        this.logFile = logFile;
        this.port = port;
        this.executable = executable;
    }

    /** Starts an anonymous, non-persistent broker working in {@code workDir} (created if missing). */
    public static MosquittoBroker start(Path workDir) {
        return builder().start(workDir);
    }

    /** A builder for a broker with options (a password user, persistence). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Options for a broker. Not thread-safe; use it on one thread.
     */
    public static final class Builder {
        private final Map<String, String> users = new LinkedHashMap<>();
        private boolean persistence;

        private Builder() {
        }

        /** Requires clients to log in, adding {@code user} with {@code password}; anonymous clients are then refused. */
        public Builder passwordUser(String user, String password) {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            if (user.isEmpty() || user.contains(":") || user.contains("\n") || password.contains("\n")) {
                throw new IllegalArgumentException("user must be non-empty without ':' or newlines, was '" + user + "'");
            }
            users.put(user, password);
            return this;
        }

        /** Whether the broker saves sessions and queued messages on a clean stop and reloads them on restart (default false). */
        public Builder persistence(boolean persistence) {
            this.persistence = persistence;
            return this;
        }

        /**
         * Writes the configuration into {@code workDir} (created if missing), starts the broker and
         * waits until its port accepts connections.
         *
         * @throws IllegalStateException when Mosquitto is not installed or does not come up, with its log
         */
        public MosquittoBroker start(Path workDir) {
            Objects.requireNonNull(workDir, "workDir");
            try {
                Files.createDirectories(workDir);
                Path dir = workDir.toAbsolutePath();
                int port = freePort();
                Path log = dir.resolve("mosquitto.log");
                List<String> lines = new ArrayList<>(List.of(
                        "listener " + port + " 127.0.0.1",
                        "allow_anonymous " + users.isEmpty(),
                        "persistence " + persistence,
                        "max_inflight_messages 0",
                        "max_queued_messages " + MAX_QUEUED_MESSAGES,
                        "max_queued_bytes 0",
                        "log_dest file " + log,
                        "log_type error",
                        "log_type warning",
                        "log_type notice",
                        "log_type information",
                        "connection_messages true",
                        "log_timestamp_format %H:%M:%S"));
                if (persistence) {
                    Path data = Files.createDirectories(dir.resolve("data"));
                    lines.add("persistence_location " + data + "/");
                    lines.add("autosave_interval 0");
                }
                if ("root".equals(System.getProperty("user.name"))) {
                    // Mosquitto run as root drops to user "mosquitto", who could not write the log here.
                    lines.add("user root");
                }
                if (!users.isEmpty()) {
                    Path passwords = dir.resolve("passwords");
                    StringBuilder plain = new StringBuilder();
                    users.forEach((u, p) -> plain.append(u).append(':').append(p).append('\n'));
                    Files.writeString(passwords, plain);
                    run(List.of(passwdTool(), "-U", passwords.toString()));
                    lines.add("password_file " + passwords);
                }
                Path config = dir.resolve("mosquitto.conf");
                Files.write(config, lines, StandardCharsets.UTF_8);
                MosquittoBroker broker = new MosquittoBroker(dir, config, log, port, executable());
                broker.launch();
                return broker;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare Mosquitto in " + workDir, e);
            }
        }
    }

    /** The port the broker listens on (127.0.0.1), the same across restarts. */
    public int port() {
        return port;
    }

    /** The broker's address for Paho: {@code tcp://127.0.0.1:PORT}. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Whether the broker process is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The process id of the running broker. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("Mosquitto is not running");
        }
        return process.pid();
    }

    /**
     * Stops the broker cleanly (SIGTERM, so that it saves its sessions when persistent), waits for
     * it to exit, and kills it if it has not after {@link #STOP_TIMEOUT}. Does nothing if it is not running.
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process p = process;
        process = null;
        p.destroy();
        try {
            if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(p);
        }
    }

    /** Kills the broker with SIGKILL, as a crash would (nothing is saved), and waits for it to exit. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        Process p = process;
        process = null;
        p.destroyForcibly();
        try {
            p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(p);
        }
    }

    /** Stops the broker if it runs (or after {@link #stop}/{@link #kill}), then starts it again on the same port and waits until it accepts connections. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("broker is closed");
        }
        stop();
        launch();
    }

    /** The broker's log so far (empty if it wrote none). */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    /** The directory holding the configuration, the log and any saved sessions. */
    public Path workDir() {
        return workDir;
    }

    /** Stops the broker; it cannot be restarted afterwards. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        stop();
    }

    private synchronized void launch() {
        Process p;
        try {
            p = new ProcessBuilder(executable, "-c", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("mosquitto.out").toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + executable + " (is Mosquitto installed?)", e);
        }
        LIVE.add(p);
        process = p;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!p.isAlive()) {
                LIVE.remove(p);
                process = null;
                throw new IllegalStateException("Mosquitto exited with " + p.exitValue() + " before accepting connections on port "
                        + port + "; output: " + readQuietly(workDir.resolve("mosquitto.out")) + "; log: " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() - deadline > 0) {
                    stop();
                    throw new IllegalStateException("Mosquitto did not accept connections on port " + port
                            + " within " + START_TIMEOUT + "; log: " + log());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static String executable() {
        Path sbin = Path.of("/usr/sbin/mosquitto");
        if (Files.isExecutable(sbin)) {
            return sbin.toString();
        }
        return onPath("mosquitto");
    }

    private static String passwdTool() {
        Path bin = Path.of("/usr/bin/mosquitto_passwd");
        return Files.isExecutable(bin) ? bin.toString() : onPath("mosquitto_passwd");
    }

    private static String onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(name + " is not installed (looked in /usr/sbin, /usr/bin and PATH): apt-get install mosquitto mosquitto-clients");
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed: "
                        + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + command.get(0), e);
        }
    }
}
