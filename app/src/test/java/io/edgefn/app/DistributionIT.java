package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive {@code mvn package} makes (target/edgefn-VERSION-linux.tar.gz), as an operator uses
 * it: unpacked and installed with {@code install.sh --no-user --no-systemd} into a temporary
 * prefix, then run from there — from a working directory outside the repository, with no
 * {@code EDGEFN_HOME} and a {@code mvn} on the PATH that fails the test if the launcher calls it.
 * The run logs JSON lines ({@code --log-format json}, {@code EDGEFN_LOG_FORMAT=json}); the
 * systemd unit's readiness check ({@code lib/edgefn-ready}) and the unit itself
 * ({@code systemd-analyze verify}, where installed) are tried on the installed files.
 */
class DistributionIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One install for every test: unpacking 60 MB and copying it is the slow part. */
    @TempDir
    static Path install;

    static Path prefix;
    static Path elsewhere;
    static Path fakeBin;
    static String installOutput;

    @TempDir
    Path dir;

    private Process process;

    @BeforeAll
    static void installTheArchive() throws Exception {
        Path archive;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            archive = files.filter(f -> f.getFileName().toString().matches("edgefn-.*-linux\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no target/edgefn-*-linux.tar.gz: mvn package makes it"));
        }
        elsewhere = Files.createDirectories(install.resolve("elsewhere"));
        // A mvn that leaves a mark: the installed launcher must never build anything.
        fakeBin = Files.createDirectories(install.resolve("fake-bin"));
        Path mvn = fakeBin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\ntouch \"$(dirname \"$0\")/mvn-was-called\"\nexit 1\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));

        Result untar = run(List.of("tar", "xzf", archive.toAbsolutePath().toString(), "-C", install.toString()), Map.of());
        assertThat(untar.status).as("tar: %s", untar.output).isZero();
        Path unpacked;
        try (Stream<Path> dirs = Files.list(install)) {
            unpacked = dirs.filter(d -> d.getFileName().toString().startsWith("edgefn-")).findFirst().orElseThrow();
        }
        prefix = install.resolve("prefix");
        Result installed = run(List.of(unpacked.resolve("install.sh").toString(), "--prefix", prefix.toString(),
                "--no-user", "--no-systemd", "--no-aot-cache"), Map.of());
        installOutput = installed.output;
        assertThat(installed.status).as("install.sh: %s", installed.output).isZero();
    }

    @AfterEach
    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void install_layout_isTheOneTheUnitAndTheGuideName() {
        assertThat(installOutput).contains("edgefn installed in " + prefix);
        for (String file : List.of("bin/edgefn", "bin/edgefn-aot-cache", "lib/edgefn-all.jar", "lib/find-java.sh",
                "lib/edgefn-ready", "share/edgefn/edgefn.service", "share/edgefn/examples/deployment.json",
                "share/edgefn/examples/packages/pump-functions.jar", "share/doc/edgefn/install.md",
                "etc/edgefn.env", "etc/deployment.json", "etc/packages/pump-functions.jar")) {
            assertThat(prefix.resolve(file)).as(file).exists();
        }
        assertThat(prefix.resolve("bin/edgefn")).isExecutable();
        assertThat(prefix.resolve("lib/edgefn-ready")).isExecutable();
    }

    @Test
    void versionAndHelp_workFromTheInstall_withNoSourceTreeAndNoMaven() throws Exception {
        Result version = run(List.of(prefix.resolve("bin/edgefn").toString(), "--version"), Map.of());
        assertThat(version.status).as(version.output).isZero();
        assertThat(version.output).startsWith("edgefn ");

        Result help = run(List.of(prefix.resolve("bin/edgefn").toString(), "--help"), Map.of());
        assertThat(help.status).as(help.output).isZero();
        assertThat(help.output).contains("run").contains("status").contains("deploy");
        assertThat(fakeBin.resolve("mvn-was-called")).doesNotExist();
    }

    @Test
    void run_fromTheInstall_isHealthy_logsJsonLines_andStopsCleanly() throws Exception {
        Path data = dir.resolve("data");
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        process = builder(List.of(prefix.resolve("bin/edgefn").toString(), "run",
                "--deployment", prefix.resolve("etc/deployment.json").toString(), "--data-dir", data.toString(),
                "--http-port", "0", "--mqtt-port", "0", "--gateway-id", "gw-dist", "--log-format", "json"), Map.of())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();

        // The machine may be busy: a generous bound, polled, and a quick failure if the process dies.
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(process.isAlive()).as("edgefn run ended early; stderr: %s", Files.readString(stderr)).isTrue();
            assertThat(health(data)).isEqualTo(200);
        });
        JsonNode ready = JSON.readTree(Files.readAllLines(stdout).getFirst());
        assertThat(ready.path("event").asText()).isEqualTo("ready");
        assertThat(ready.path("gatewayId").asText()).isEqualTo("gw-dist");
        assertThat(ready.path("functions").asInt()).isEqualTo(3);

        // The unit's readiness check, on the running host.
        Result readiness = run(List.of(prefix.resolve("lib/edgefn-ready").toString(), data.toString(), "30"), Map.of());
        assertThat(readiness.status).as(readiness.output).isZero();
        assertThat(readiness.output).contains("/health answers 200");

        process.destroy(); // SIGTERM, as systemctl stop sends
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("edgefn stopped on SIGTERM").isTrue();
        assertThat(process.exitValue()).as("stderr: %s", Files.readString(stderr)).isZero();
        List<JsonNode> lines = jsonLines(stderr);
        assertThat(lines).extracting(line -> line.path("formattedMessage").asText())
                .anyMatch(message -> message.contains("host gw-dist started"))
                .anyMatch(message -> message.contains("stopped. 0 message(s) held for upstream"));
        assertThat(lines).allSatisfy(line -> {
            assertThat(line.path("level").asText()).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(line.path("timestamp").asLong()).isPositive();
            assertThat(line.path("loggerName").asText()).isNotEmpty();
            assertThat(line.path("threadName").asText()).isNotEmpty();
            assertThat(line.has("mdc")).isTrue();
        });
    }

    @Test
    void aFailedStart_withJsonLogsFromTheEnvironment_isOneJsonErrorWithItsStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path stderr = dir.resolve("stderr.txt");
            process = builder(List.of(prefix.resolve("bin/edgefn").toString(), "run",
                    "--deployment", prefix.resolve("etc/deployment.json").toString(), "--data-dir", dir.resolve("data").toString(),
                    "--http-port", Integer.toString(taken.getLocalPort()), "--mqtt-port", "0"), Map.of("EDGEFN_LOG_FORMAT", "json"))
                    .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(stderr.toFile()).start();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the failed start ended").isTrue();
            assertThat(process.exitValue()).as("stderr: %s", Files.readString(stderr)).isEqualTo(1);

            List<JsonNode> lines = jsonLines(stderr);
            JsonNode error = lines.stream().filter(line -> line.path("level").asText().equals("ERROR")).findFirst()
                    .orElseThrow(() -> new AssertionError("no ERROR line in " + lines));
            assertThat(error.path("formattedMessage").asText())
                    .startsWith("edgefn run: ").contains(Integer.toString(taken.getLocalPort())).contains("in use");
            JsonNode throwable = error.path("throwable");
            assertThat(throwable.path("className").asText()).isNotEmpty();
            assertThat(throwable.path("stepArray")).isNotEmpty();
            assertThat(throwable.path("stepArray").get(0).path("methodName").asText()).isNotEmpty();
        }
    }

    @Test
    void anUnknownLogFormat_isRefusedByName() throws Exception {
        Result bad = run(List.of(prefix.resolve("bin/edgefn").toString(), "run", "--log-format", "xml",
                "--deployment", prefix.resolve("etc/deployment.json").toString(), "--data-dir", dir.resolve("data").toString()),
                Map.of());
        assertThat(bad.status).isEqualTo(1);
        assertThat(bad.output).contains("--log-format (or EDGEFN_LOG_FORMAT) must be text or json, was 'xml'");
    }

    @Test
    void theSystemdUnit_passesSystemdAnalyzeVerify() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-analyze")),
                "systemd-analyze is not installed here");
        // As install.sh writes it for a real install, with this install's prefix.
        Path unit = dir.resolve("edgefn.service");
        Files.writeString(unit, Files.readString(prefix.resolve("share/edgefn/edgefn.service"))
                .replace("@PREFIX@", prefix.toString()));
        Result verify = run(List.of("systemd-analyze", "verify", unit.toString()), Map.of());
        assertThat(verify.status).as(verify.output).isZero();
        assertThat(verify.output).as("systemd-analyze verify has nothing to say about the unit").isBlank();
    }

    /** A GET /health on the host started with {@code data}, trusting only its CA; 0 until it listens. */
    private static int health(Path data) throws Exception {
        Path port = data.resolve("http.port");
        Path ca = data.resolve("identity/certs/ca.pem");
        if (!Files.exists(port) || !Files.exists(ca)) {
            return 0;
        }
        try (HttpClient client = HttpClient.newBuilder().sslContext(GatewayCli.trusting(Files.readString(ca)))
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpRequest get = HttpRequest.newBuilder(URI.create("https://localhost:" + Files.readString(port).strip() + "/health"))
                    .timeout(Duration.ofSeconds(5)).build();
            return client.send(get, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notYet) {
            return 0;
        }
    }

    /** Every line of {@code file}, each parsed as one JSON object; a line that is not fails the test. */
    private static List<JsonNode> jsonLines(Path file) throws IOException {
        List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(text).as("log lines in %s", file).isNotEmpty();
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : text) {
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line + "\nin:\n" + String.join("\n", text), e);
            }
            assertThat(node.isObject()).as("a JSON object: %s", line).isTrue();
            parsed.add(node);
        }
        return parsed;
    }

    /**
     * A process as an operator's shell would start it: in a folder outside the repository, with
     * this JVM's JDK as JAVA_HOME, no EDGEFN_* variables but {@code extra}, a HOME of its own, and
     * the failing mvn first on the PATH.
     */
    private static ProcessBuilder builder(List<String> command, Map<String, String> extra) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(elsewhere.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("EDGEFN_"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("HOME", elsewhere.toString());
        env.put("PATH", fakeBin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.putAll(extra);
        return builder;
    }

    private record Result(int status, String output) {
    }

    /** Runs {@code command} to its end (stdout and stderr together). */
    private static Result run(List<String> command, Map<String, String> extra) throws Exception {
        Process p = builder(command, extra).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s ended", command).isTrue();
        return new Result(p.exitValue(), output);
    }
}
