package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.app.cli.EdgefnCommand;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgefn deploy}, {@code rollback} and {@code deployments} against {@code edgefn run} as a
 * real process: a live update applied, a bad one refused with its reasons, the history listed, a
 * rollback, a wrong token refused, {@code status --json} showing the deployment, and {@code run}
 * without {@code --deployment} resuming the current one.
 */
class DeployCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTES = """
            "routes": {"readings": "FROM /messages WHERE $connectionDeviceId = 'pump-01' INTO BrokeredEndpoint(\\"/modules/pump-analytics/inputs/readings\\")"}""";

    @TempDir
    Path dir;

    private Process process;

    @AfterEach
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private Path deployment(String name, String version, String settings, String routes) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, """
                {"version": "%s", "healthGate": {"seconds": 1},
                 "packages": {"pump": {"file": "packages/pump-functions.jar", "settings": %s}},
                 %s}""".formatted(version, settings, routes));
        return file;
    }

    @Test
    void deployRollbackAndHistory_againstARunningHost() throws Exception {
        Files.createDirectories(dir.resolve("packages"));
        try (InputStream in = getClass().getResourceAsStream("/edgefn/demo/pump-functions.jar")) {
            Files.copy(in, dir.resolve("packages/pump-functions.jar"));
        }
        Path data = dir.resolve("data");
        int port = startHost(data, deployment("v1.json", "v1", "{}", ROUTES));

        Result applied = edgefn("deploy", "--data-dir", data.toString(), deployment("v2.json", "v2", "{\"limit\": 7}", ROUTES)
                .toString());
        assertThat(applied.status()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("deployment v2 applied on the host on " + data).contains("passed its health gate");

        Result refused = edgefn("deploy", "--data-dir", data.toString(), deployment("v3.json", "v3", "{}", """
                "routes": {"lost": "FROM /messages INTO BrokeredEndpoint(\\"/modules/nobody/inputs/in\\")"}""").toString());
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("edgefn deploy: deployment v3 was refused by").contains("nobody")
                .doesNotContain("Exception");

        String token = Files.readString(data.resolve("management.token")).trim();
        String ca = data.resolve("identity/certs/ca.pem").toString();
        Result stranger = edgefn("deploy", "--gateway", "https://127.0.0.1:" + port, "--token", "wrong", "--ca", ca,
                dir.resolve("v2.json").toString());
        assertThat(stranger.status()).isEqualTo(1);
        assertThat(stranger.err()).contains("the token was refused");

        Result history = edgefn("deployments", "--gateway", "https://127.0.0.1:" + port, "--token", token, "--ca", ca);
        assertThat(history.status()).as(history.err()).isZero();
        List<String> rows = history.out().lines().skip(1).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).contains("v1").contains("APPLIED").startsWith(" ");
        assertThat(rows.get(1)).contains("v2").contains("APPLIED").startsWith("*");

        Result back = edgefn("rollback", "--data-dir", data.toString());
        assertThat(back.status()).as(back.err()).isZero();
        assertThat(back.out()).contains("deployment v1 applied");
        Result unknown = edgefn("rollback", "--data-dir", data.toString(), "--to", "v9");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("no applied deployment labelled 'v9'");

        JsonNode status = JSON.readTree(edgefn("status", "--data-dir", data.toString(), "--json").out());
        assertThat(status.path("deployment").path("version").asText()).isEqualTo("v1");
        assertThat(status.path("deployment").path("state").asText()).isEqualTo("APPLIED");
        assertThat(status.has("deploymentVersion")).isFalse();

        // Stopped and started again without --deployment: the current one (v1, third entry) resumes.
        process.destroy();
        process.waitFor();
        startHost(data, null);
        JsonNode list = JSON.readTree(edgefn("deployments", "--data-dir", data.toString(), "--json").out());
        assertThat(list.path("current").path("version").asText()).isEqualTo("v1");
        assertThat(list.path("current").path("sequence").asLong()).isEqualTo(3);
        assertThat(list.path("history")).hasSize(3);
    }

    @Test
    void deploy_uploadsThePackagesTheHostLacks_andAHostWithoutTheFileRunsThemByHash() throws Exception {
        Files.createDirectories(dir.resolve("packages"));
        try (InputStream in = getClass().getResourceAsStream("/edgefn/demo/pump-functions.jar")) {
            Files.copy(in, dir.resolve("packages/pump-functions.jar"));
        }
        Path data = dir.resolve("data");
        int port = startHost(data, deployment("v1.json", "v1", "{}", ROUTES));
        String token = Files.readString(data.resolve("management.token")).trim();
        String ca = data.resolve("identity/certs/ca.pem").toString();

        // The author's machine: the same functions in a jar the host has never seen.
        Path author = Files.createDirectories(dir.resolve("author/packages"));
        Path jar = author.resolve("pump-functions.jar");
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(Files.newInputStream(dir.resolve("packages/pump-functions.jar")));
             java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new java.util.zip.ZipEntry("META-INF/build-note.txt"));
            out.write("built on the author's machine".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        Path v2 = dir.resolve("author/v2.json");
        Files.writeString(v2, Files.readString(deployment("v2.json", "v2", "{\"limit\": 7}", ROUTES)));
        Result applied = edgefn("deploy", "--gateway", "https://127.0.0.1:" + port, "--token", token, "--ca", ca, v2.toString());
        assertThat(applied.status()).as(applied.err()).isZero();
        assertThat(applied.err()).contains("uploaded package pump (");
        String sha = applied.err().replaceAll("(?s).*uploaded package pump \\(([0-9a-f]{64})\\).*", "$1");
        assertThat(data.resolve("packages/sha256/" + sha + ".jar")).exists();

        // Without the file (as on a gateway elsewhere): the document names the jar by its hash.
        Files.delete(jar);
        Path v3 = dir.resolve("author/v3.json");
        Files.writeString(v3, """
                {"version": "v3", "healthGate": {"seconds": 1},
                 "packages": {"pump": {"file": "packages/pump-functions.jar", "sha256": "%s", "settings": {"limit": 8}}},
                 %s}""".formatted(sha, ROUTES));
        Result byHash = edgefn("deploy", "--gateway", "https://127.0.0.1:" + port, "--token", token, "--ca", ca, v3.toString());
        assertThat(byHash.status()).as(byHash.err()).isZero();
        assertThat(byHash.err()).doesNotContain("uploaded");
        assertThat(byHash.out()).contains("deployment v3 applied");
    }

    @Test
    void run_withoutDeploymentOnAnEmptyDataDirectory_saysWhatToDo() {
        Result r = edgefn("run", "--data-dir", dir.resolve("empty").toString(), "--http-port", "-1", "--mqtt-port", "-1");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("has no deployment history to resume").contains("--deployment FILE");
    }

    /** Starts {@code edgefn run} on {@code data} (with {@code deployment}, or resuming when null); returns its management port. */
    private int startHost(Path data, Path deployment) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                EdgefnCommand.class.getName(), "run", "--data-dir", data.toString(), "--http-port", "0", "--mqtt-port", "0"));
        if (deployment != null) {
            command.addAll(List.of("--deployment", deployment.toString()));
        }
        Path stderr = dir.resolve("stderr-" + System.nanoTime() + ".txt");
        process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        String readyLine = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(readyLine).as("stderr: %s", Files.readString(stderr)).startsWith("{");
        return JSON.readTree(readyLine).path("httpPort").asInt();
    }

    record Result(int status, String out, String err) {
    }

    private static Result edgefn(String... args) {
        try (StdoutCapture capture = StdoutCapture.stdoutAndStderr()) {
            int status = EdgefnCommand.execute(args);
            return new Result(status, capture.out(), capture.err());
        }
    }
}
