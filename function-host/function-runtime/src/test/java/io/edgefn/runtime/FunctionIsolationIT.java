package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.deploy.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A function that throws, hangs or cannot start is contained; the others keep working. */
class FunctionIsolationIT {

    private static final Map<String, String> SOURCES = Map.of(
            "t.Thrower", """
                    package t;
                    import io.edgefn.api.*;
                    @EdgeFunction(value = "thrower", retries = 1)
                    public class Thrower {
                        @RouteTrigger(input = "in") @SendTo("out")
                        public String onMessage(String body) {
                            if (body.contains("boom")) throw new IllegalStateException("boom in " + body);
                            return "thrower saw " + body;
                        }
                    }""",
            "t.Healthy", """
                    package t;
                    import io.edgefn.api.*;
                    @EdgeFunction("healthy")
                    public class Healthy {
                        @RouteTrigger(input = "in") @SendTo("out")
                        public String onMessage(String body, @Property("n") String n) { return "healthy saw " + body + " " + n; }
                    }""",
            "t.BrokenInit", """
                    package t;
                    import io.edgefn.api.*;
                    @EdgeFunction("broken-init")
                    public class BrokenInit {
                        public BrokenInit() { throw new IllegalStateException("cannot reach the PLC"); }
                        @RouteTrigger(input = "in") public void onMessage(String body) { }
                    }""",
            "t.Sleeper", """
                    package t;
                    import io.edgefn.api.*;
                    @EdgeFunction(value = "sleeper", timeoutMillis = 200, retries = 0)
                    public class Sleeper {
                        @RouteTrigger(input = "in")
                        public void onMessage(String body) throws InterruptedException { Thread.sleep(60_000); }
                    }""");

    @TempDir
    Path dir;

    private EdgeHost host;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    private Deployment deployment(Path jar) {
        String json = """
                {"packages": {"t": {"file": "%s"}},
                 "routes": {
                   "toThrower": "FROM /messages/* WHERE target = 'thrower' INTO BrokeredEndpoint(\\"/modules/thrower/inputs/in\\")",
                   "toHealthy": "FROM /messages/* WHERE target = 'healthy' INTO BrokeredEndpoint(\\"/modules/healthy/inputs/in\\")",
                   "toBroken": "FROM /messages/* WHERE target = 'broken' INTO BrokeredEndpoint(\\"/modules/broken-init/inputs/in\\")",
                   "toSleeper": "FROM /messages/* WHERE target = 'sleeper' INTO BrokeredEndpoint(\\"/modules/sleeper/inputs/in\\")",
                   "outputsUp": "FROM /messages/modules/* INTO $upstream"}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        return Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "test deployment", dir);
    }

    private static Message to(String target, String body) {
        return Message.builder().body(body).property("target", target).property("n", "1").build();
    }

    @Test
    void throwingHangingAndUnstartableFunctions_doNotStopTheOthers() throws Exception {
        Path jar = TestPackages.build(dir, "isolation", SOURCES);
        host = EdgeHost.builder().deployment(deployment(jar)).dataDirectory(dir.resolve("data"))
                .restartPolicy(new RestartPolicy(Duration.ofMillis(10), Duration.ofMillis(40), 3))
                .build().start();

        host.submit(to("thrower", "boom-1")).get();
        host.submit(to("sleeper", "nap")).get();
        host.submit(to("healthy", "a")).get();
        host.submit(to("thrower", "fine")).get();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, FunctionStats> f = host.stats().functions();
            assertThat(f.get("thrower").failures()).as("one failure and its retry").isEqualTo(2);
            assertThat(f.get("thrower").deadLettered()).isEqualTo(1);
            assertThat(f.get("thrower").invocations()).isEqualTo(3);
            assertThat(f.get("healthy").invocations()).isEqualTo(1);
            assertThat(f.get("sleeper").timeouts()).isEqualTo(1);
            assertThat(f.get("sleeper").deadLettered()).as("a timed-out message is given up on too").isEqualTo(1);
            assertThat(f.get("broken-init").state()).isEqualTo(FunctionState.FAILED);
            assertThat(host.stats().upstreamHeld()).as("two outputs, two dead letters").isEqualTo(4);
        });
        assertThat(host.stats().functions().get("broken-init").lastProblem()).contains("cannot reach the PLC");
        assertThat(host.functionState("thrower")).isEqualTo(FunctionState.RUNNING);

        // A failed function refuses what is routed to it, visibly; the rest keeps going.
        assertThat(host.submit(to("broken", "x"))).failsWithin(Duration.ofSeconds(10));
        host.submit(to("healthy", "b")).get();
        // Its output, not its start: an invocation is counted when it begins.
        await().atMost(Duration.ofSeconds(10)).until(() -> host.stats().upstreamHeld() == 5);
        assertThat(host.stats().functions().get("healthy").invocations()).isEqualTo(2);

        List<String> upstream = drainUpstream();
        assertThat(upstream).contains("thrower saw fine", "healthy saw a 1", "healthy saw b 1", "boom-1", "nap");
    }

    private List<String> drainUpstream() {
        return host.buffer().cursor(UpstreamRecords.CURSOR).poll(100).stream()
                .map(BufferedRecord::payload).map(UpstreamRecords::decode).map(Message::bodyAsString).toList();
    }

    @Test
    void deadLetter_carriesTheErrorAndTheOriginalBody_andStatusListsItWithTheErrors() throws Exception {
        Path jar = TestPackages.build(dir, "isolation", SOURCES);
        host = EdgeHost.builder().deployment(deployment(jar)).dataDirectory(dir.resolve("data")).httpPort(0).build().start();
        host.submit(to("thrower", "boom-2")).get();
        await().atMost(Duration.ofSeconds(20)).until(() -> host.stats().upstreamHeld() == 1);
        Message letter = UpstreamRecords.decode(host.buffer().cursor(UpstreamRecords.CURSOR).poll(1).get(0).payload());
        assertThat(letter.bodyAsString()).isEqualTo("boom-2");
        assertThat(letter.property("edgefn-error")).contains("IllegalStateException").contains("boom in boom-2");
        assertThat(letter.source()).isEqualTo("/messages/modules/thrower/outputs/deadletter");

        // /status's recentProblems, newest first: the dead letter after the two failed attempts.
        String token = java.nio.file.Files.readString(dir.resolve("data").resolve(DataDirectory.MANAGEMENT_TOKEN_FILE)).trim();
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                    "http://127.0.0.1:" + host.httpPort() + "/status"))
                            .header("Authorization", "Bearer " + token).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            com.fasterxml.jackson.databind.JsonNode status = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
            List<String> problems = new java.util.ArrayList<>();
            status.path("recentProblems").forEach(p -> {
                if (p.path("function").asText().equals("thrower")) {
                    problems.add(p.path("kind").asText());
                    assertThat(p.path("message").asText()).contains("boom in boom-2");
                    assertThat(p.path("at").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
                }
            });
            assertThat(problems).containsExactly("DEAD_LETTER", "ERROR", "ERROR");
            assertThat(status.path("routes").findValuesAsText("sink")).contains("$upstream");
        }
    }

    @Test
    void packageThatCallsSystemExit_isRefusedBeforeAnyOfItsCodeRuns() {
        Path jar = TestPackages.build(dir, "exiter", Map.of("t.Exiter", """
                package t;
                import io.edgefn.api.*;
                @EdgeFunction("exiter")
                public class Exiter {
                    @RouteTrigger(input = "in") public void onMessage(String body) { System.exit(3); }
                }"""));
        String json = """
                {"packages": {"bad": {"file": "%s"}},
                 "routes": {"r": "FROM /messages/* INTO BrokeredEndpoint(\\"/modules/exiter/inputs/in\\")"}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        Deployment d = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "exit deployment", dir);
        assertThatThrownBy(() -> EdgeHost.builder().deployment(d).dataDirectory(dir.resolve("data2")).build().start())
                .isInstanceOf(HostException.class)
                // Named by its deployment key and the file as written, not the host's staged copy.
                .hasMessageContaining("packages.bad.file: package " + jar + " is refused")
                .hasMessageNotContaining(dir.resolve("data2").toString())
                .hasMessageContaining("System.exit")
                .hasMessageContaining("t.Exiter");
    }

    @Test
    void routeToAnInputNoFunctionHas_isRefusedWithTheRouteName() {
        Path jar = TestPackages.build(dir, "isolation", SOURCES);
        String json = """
                {"packages": {"t": {"file": "%s"}},
                 "routes": {"typo": "FROM /messages/* INTO BrokeredEndpoint(\\"/modules/healthy/inputs/inn\\")"}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        Deployment d = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "typo deployment", dir);
        assertThatThrownBy(() -> EdgeHost.builder().deployment(d).dataDirectory(dir.resolve("data3")).build().start())
                .isInstanceOf(HostException.class)
                .hasMessageContaining("typo")
                .hasMessageContaining("inn");
    }
}
