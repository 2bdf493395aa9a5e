package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.app.cli.EdgefnCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
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
    void help_everyDescriptionLineIsAWholeSentence_soNoListingCutsOneInHalf() {
        // A command list shows only the first line of a description: a sentence split over two
        // lines was shown cut off ("…a pump MCU on a serial line, analytics,").
        List<String> cut = new ArrayList<>();
        collectCutLines(new CommandLine(new EdgefnCommand()), cut);
        assertThat(cut).isEmpty();
    }

    private static void collectCutLines(CommandLine command, List<String> cut) {
        for (String line : command.getCommandSpec().usageMessage().description()) {
            if (!line.replace("%n", "").strip().matches("(?s).*[.)]$")) {
                cut.add(command.getCommandSpec().qualifiedName() + ": " + line);
            }
        }
        command.getSubcommands().values().forEach(sub -> collectCutLines(sub, cut));
    }

    @Test
    void misspeltOption_isReportedAsUnknownWithTheClosestKnownOne_notAsAMissingRequiredOne() {
        int status = EdgefnCommand.execute("run", "--deploymnet", "deployment.json");

        assertThat(status).isEqualTo(2);
        assertThat(captured.err()).contains("edgefn run: Unknown options: '--deploymnet', 'deployment.json'")
                .contains("--deployment").doesNotContain("Missing required option");
    }

    @Test
    void commonFailures_areWordedWithoutJavaExceptionNames() {
        assertThat(EdgefnCommand.execute("run", "--deployment", "/nonexistent/deployment.json")).isEqualTo(1);
        assertThat(EdgefnCommand.execute("route-check", "--deployment", "/nonexistent/deployment.json")).isEqualTo(1);
        assertThat(EdgefnCommand.execute("status", "--data-dir", "/nonexistent/data")).isNotZero();

        assertThat(captured.err() + captured.out()).contains("there is no such file")
                .doesNotContain("Exception").doesNotContain("java.");
    }

    @Test
    void unknownCommand_isAnErrorThatSaysSo() {
        assertThat(EdgefnCommand.execute("deplyo")).isNotZero();
        assertThat(captured.err()).contains("deplyo");
    }
}
