package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.app.cli.EdgefnCommand;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgefn route-check --deployment}: every route of a deployment, checked against its
 * functions; and {@code edgefn route-check} on JSON Lines, which answers every line.
 */
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

    @Test
    void jsonLines_bodyNestedTooDeep_isAnsweredWithAnErrorLine_andTheSessionExitsZero() {
        String poisoned = "{\"id\":\"deep\",\"condition\":\"$body.a = 1\",\"message\":{\"contentType\":\"application/json\","
                + "\"contentEncoding\":\"utf-8\",\"bodyText\":\"{\\\"a\\\":" + "[".repeat(1010) + "\"}}";
        String input = poisoned + "\n{\"id\":\"next\",\"condition\":\"true\"}\n";
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            // Before issue 16 the first line threw a NullPointerException out of the session: exit 1, no answer.
            assertThat(EdgefnCommand.execute("route-check")).isZero();
        } finally {
            System.setIn(stdin);
        }
        assertThat(out.out().split("\n")).containsExactly(
                "{\"id\":\"deep\",\"result\":\"error\",\"error\":\"the message body cannot be read: the body is beyond "
                        + "the JSON reader's limits: Document nesting depth (1001) exceeds the maximum allowed (1000, from "
                        + "`StreamReadConstraints.getMaxNestingDepth()`) (routes treat $body as undefined for this message, "
                        + "and count it)\",\"diagnostics\":[]}",
                "{\"id\":\"next\",\"result\":\"true\",\"diagnostics\":[]}");
    }
}
