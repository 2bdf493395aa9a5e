package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefn.app.cli.EdgefnCommand;
import io.edgefn.deploy.Deployment;
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
    void goodDeployment_listsEveryRouteWithItsSourceConditionAndSink() throws Exception {
        Path file = deployment("""
                {"hot": {"route": "FROM /messages/* WHERE $body.pressure > 150 INTO $upstream", "priority": 0, "timeToLiveSecs": 60},
                 "all": "FROM /messages/modules/* INTO $upstream"}""");

        assertThat(EdgefnCommand.execute("route-check", "--deployment", file.toString())).isZero();

        assertThat(out.out()).contains("""
                routes:
                  hot
                    source     /messages/
                    condition  $body.pressure > 150
                    sink       $upstream
                    delivery   priority 0, time to live 60 s
                  all
                    source     /messages/modules/
                """).contains("package pump: packages/pump-functions.jar (verified)");
    }

    @Test
    void storeAndForwardTheBufferWouldRefuse_isReportedAtItsJsonPathInMiB_byRouteCheckAndRunAlike() throws Exception {
        Path file = dir.resolve("deployment.json");
        Files.writeString(file, """
                {"routes": {"up": "FROM /messages/* INTO $upstream"}, "storeAndForward": {"maxBytes": 104857600}}""");
        String problem = "storeAndForward.maxBytes: 'maxBytes' is 104857600 bytes (100 MiB); it must be at least"
                + " 134217728 bytes (128 MiB)";

        assertThat(EdgefnCommand.execute("route-check", "--deployment", file.toString())).isEqualTo(1);
        assertThat(out.out()).contains(problem).doesNotContain("routes OK").doesNotContain("BufferOptions");
        // run reads the document with the same model, so it refuses it with the same words.
        assertThatThrownBy(() -> Deployment.read(file)).hasMessageContaining(problem);
    }

    @Test
    void missingPackage_namesTheDeploymentKeyAndThePathAsWritten_inWords() throws Exception {
        Path file = dir.resolve("deployment.json");
        Files.writeString(file, """
                {"packages": {"pump": {"file": "packages/missing.jar"}}, "routes": {"up": "FROM /messages/* INTO $upstream"}}""");

        assertThat(EdgefnCommand.execute("route-check", "--deployment", file.toString())).isEqualTo(1);

        assertThat(out.out()).contains("packages.pump.file: cannot read package packages/missing.jar ("
                + dir.toAbsolutePath().resolve("packages/missing.jar") + "): there is no such file")
                .doesNotContain("Exception");
    }

    @Test
    void deploymentWithExplain_readsMessagesFromStdin_andSaysWhichRoutesFired() throws Exception {
        Path file = deployment("""
                {"hot": "FROM /messages/* WHERE as_number(temperature) > 50 INTO $upstream",
                 "fromAnalytics": "FROM /messages/modules/pump-analytics/* INTO $upstream"}""");
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream("""
                {"id": "warm", "message": {"properties": {"temperature": "99"}}}
                {"id": "cold", "message": {"source": "/messages/modules/pump-analytics/outputs/readings", "properties": {"temperature": "10"}}}
                """.getBytes(StandardCharsets.UTF_8)));
        try {
            assertThat(EdgefnCommand.execute("route-check", "--deployment", file.toString(), "--explain")).isZero();
        } finally {
            System.setIn(stdin);
        }

        assertThat(out.out()).contains("warm: message from /messages: 1 delivery",
                "route 'hot' (FROM /messages/ INTO $upstream): fired",
                "cold: message from /messages/modules/pump-analytics/outputs/readings: 1 delivery",
                "route 'hot' (FROM /messages/ INTO $upstream): did not fire: the condition 'as_number(temperature) > 50' is false");
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
