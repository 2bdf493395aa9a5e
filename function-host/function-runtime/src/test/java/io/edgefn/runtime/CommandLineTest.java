package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.runtime.cli.EdgefnCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "demo", "status", "route-check", "serial", "bench"})
    void help_everySubcommandDescribesItself(String command) {
        int status = EdgefnCommand.execute(command, "--help");
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: edgefn " + command);
    }

    @Test
    void run_withAMissingDeploymentFileFailsWithItsName() {
        int status = EdgefnCommand.execute("run", "--deployment", "/nonexistent/deployment.json");
        assertThat(status).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("/nonexistent/deployment.json");
    }

    @Test
    void unknownCommand_isAnErrorThatSaysSo() {
        assertThat(EdgefnCommand.execute("deplyo")).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("deplyo");
    }
}
