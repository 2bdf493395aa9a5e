package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.app.cli.EdgefnCommand;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgefn route-check --deployment}: every route of a deployment, checked against its functions. */
class RouteCheckCommandIT {

    @TempDir
    Path dir;

    @RegisterExtension
    final StdoutCapture out = StdoutCapture.stdoutPerTest();

    @BeforeEach
    void copyTheExamplePackage() throws Exception {
        Files.createDirectories(dir.resolve("packages"));
        try (InputStream in = getClass().getResourceAsStream("/edgefn/demo/pump-functions.jar")) {
            Files.copy(in, dir.resolve("packages/pump-functions.jar"));
        }
    }

    private Path deployment(String routes) throws Exception {
        Path file = dir.resolve("deployment.json");
        Files.writeString(file, """
                {"packages": {"pump": {"file": "packages/pump-functions.jar"}}, "routes": %s}""".formatted(routes));
        return file;
    }

    @Test
    void goodDeployment_exitsZero() throws Exception {
        Path file = deployment("""
                {"a": "FROM /messages/modules/anomaly-detector/outputs/anomalies INTO BrokeredEndpoint(\\"/modules/pump-shutdown/inputs/anomalies\\")",
                 "b": "FROM /messages/modules/* INTO $upstream"}""");
        assertThat(EdgefnCommand.execute("route-check", "--deployment", file.toString())).isZero();
        assertThat(out.out()).contains("2 routes OK");
    }

    @Test
    void badRoutes_areAllListedWithNamesAndPositions_andExitOne() throws Exception {
        Path file = deployment("""
                {"typo": "FROM /messages/* INTO BrokeredEndpoint(\\"/modules/pump-shutdown/inputs/anomaly\\")",
                 "untyped": "FROM /messages/* WHERE temp > 90 INTO $upstream",
                 "fine": "FROM /messages/* INTO $upstream"}""");
        assertThat(EdgefnCommand.execute("route-check", "--deployment", file.toString())).isEqualTo(1);
        String printed = out.out();
        assertThat(printed).contains("2 problem(s)")
                .contains("typo").contains("anomaly")
                .contains("untyped").contains("1:24")
                .contains("FROM /messages/* WHERE temp > 90 INTO $upstream\n" + " ".repeat(4 + 23) + "^");
    }
}
