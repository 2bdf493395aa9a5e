package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.app.cli.EdgefnCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {

    @RegisterExtension
    final StdoutCapture captured = StdoutCapture.stdoutAndStderrPerTest();

    @ParameterizedTest
    @ValueSource(strings = {"run", "demo", "status", "buffer", "route-check", "serial", "bench"})
    void help_everySubcommandDescribesItself(String command) {
        int status = EdgefnCommand.execute(command, "--help");
        assertThat(status).isZero();
        assertThat(captured.out()).contains("Usage: edgefn " + command);
    }

    @Test
    void run_withAMissingDeploymentFileFailsWithItsName() {
        int status = EdgefnCommand.execute("run", "--deployment", "/nonexistent/deployment.json");
        assertThat(status).isNotZero();
        assertThat(captured.err()).contains("/nonexistent/deployment.json");
    }

    @Test
    void unknownCommand_isAnErrorThatSaysSo() {
        assertThat(EdgefnCommand.execute("deplyo")).isNotZero();
        assertThat(captured.err()).contains("deplyo");
    }
}
