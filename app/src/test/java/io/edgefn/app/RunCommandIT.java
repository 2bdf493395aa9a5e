package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.deploy.FunctionPackage;
import io.edgefn.app.cli.EdgefnCommand;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgefn run} as a real process: the ready line, {@code status} beside it, SIGTERM. */
class RunCommandIT {

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
    void run_printsReady_answersStatus_andDrainsOnSigterm() throws Exception {
        Files.createDirectories(dir.resolve("packages"));
        try (InputStream in = getClass().getResourceAsStream("/edgefn/demo/pump-functions.jar")) {
            Files.copy(in, dir.resolve("packages/pump-functions.jar"));
        }
        Path deployment = dir.resolve("deployment.json");
        Files.writeString(deployment, """
                {"packages": {"pump": {"file": "packages/pump-functions.jar"}},
                 "routes": {"up": "FROM /messages/modules/* INTO $upstream"}}""");
        Path data = dir.resolve("data");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                EdgefnCommand.class.getName(), "run", "--deployment", deployment.toString(),
                "--data-dir", data.toString(), "--http-port", "0", "--mqtt-port", "0", "--gateway-id", "gw-test"))
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String readyLine = stdout.readLine();
        assertThat(readyLine).as("stderr: %s", Files.readString(dir.resolve("stderr.txt"))).isNotNull();
        assertThat(readyLine).as("stdout's first line is the ready line").startsWith("{");
        JsonNode ready = new ObjectMapper().readTree(readyLine);
        assertThat(ready.path("event").asText()).isEqualTo("ready");
        assertThat(ready.path("httpPort").asInt()).isPositive();
        assertThat(ready.has("mqttPort")).isTrue();
        assertThat(ready.path("functions").asInt()).isEqualTo(
                FunctionPackage.open(dir.resolve("packages/pump-functions.jar"), null).index().functions().size());

        int status;
        String printed;
        try (StdoutCapture statusOut = StdoutCapture.stdout()) {
            status = EdgefnCommand.execute("status", "--data-dir", data.toString());
            printed = statusOut.out();
        }
        assertThat(status).isZero();
        assertThat(printed)
                .contains("anomaly-detector").contains("RUNNING").contains("held for upstream: 0")
                .contains("edge hub: 0 client(s) connected").contains("upstream: no link configured");

        process.destroy(); // SIGTERM
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(Files.readString(dir.resolve("stderr.txt"))).contains("stopped").contains("held for upstream");
        assertThat(data.resolve("http.port")).doesNotExist();
    }
}
