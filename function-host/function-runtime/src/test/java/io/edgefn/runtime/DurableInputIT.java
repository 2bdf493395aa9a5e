package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.deploy.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route marked durable puts a function's input on disk: messages the function had not finished
 * when the host stopped are processed after the restart, none lost.
 */
class DurableInputIT {

    @TempDir
    Path dir;

    @Test
    void messagesNotProcessedBeforeAStop_areProcessedAfterTheRestart() throws Exception {
        Path jar = TestPackages.build(dir, "slow", Map.of("t.Slow", """
                package t;
                import io.edgefn.api.*;
                @EdgeFunction(value = "slow", retries = 0)
                public class Slow {
                    @RouteTrigger(input = "in") @SendTo("done")
                    public String onMessage(String body) throws InterruptedException { Thread.sleep(150); return "done " + body; }
                }"""));
        String json = """
                {"packages": {"t": {"file": "%s"}},
                 "routes": {"in": {"route": "FROM /messages WHERE kind = 'job' INTO BrokeredEndpoint(\\"/modules/slow/inputs/in\\")", "durable": true},
                            "up": "FROM /messages/modules/slow/outputs/done INTO $upstream"}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "durable deployment", dir);
        Path data = dir.resolve("data");

        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(data)
                .drainTimeout(Duration.ofMillis(100)).build().start()) {
            for (int i = 0; i < 12; i++) {
                host.submit(Message.builder().body("job-" + i).property("kind", "job").build()).get();
            }
            // Taken means on disk: everything submitted is acknowledged before most of it is processed.
            assertThat(host.stats().functions().get("slow").invocations()).isLessThan(12);
        }

        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(data).build().start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> doneBodies(host).size() == 12);
            Set<String> done = doneBodies(host);
            for (int i = 0; i < 12; i++) {
                assertThat(done).contains("done job-" + i);
            }
        }
    }

    @Test
    void aRecordWhoseOutputWasRefused_isNotAcknowledged_andComesBackAfterARestart() throws Exception {
        Path jar = TestPackages.build(dir, "relay", Map.of(
                "t.Relay", """
                        package t;
                        import io.edgefn.api.*;
                        @EdgeFunction(value = "relay", retries = 0)
                        public class Relay {
                            @RouteTrigger(input = "in") @SendTo("out") public String onMessage(String body) { return body; }
                        }""",
                "t.Broken", """
                        package t;
                        import io.edgefn.api.*;
                        @EdgeFunction("broken")
                        public class Broken {
                            public Broken() { throw new IllegalStateException("never starts"); }
                            @RouteTrigger(input = "in") public void onMessage(String body) { }
                        }"""));
        String json = """
                {"packages": {"t": {"file": "%s"}},
                 "routes": {"in": {"route": "FROM /messages WHERE kind = 'job' INTO BrokeredEndpoint(\\"/modules/relay/inputs/in\\")", "durable": true},
                            "next": "FROM /messages/modules/relay/outputs/out INTO BrokeredEndpoint(\\"/modules/broken/inputs/in\\")"}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "relay deployment", dir);
        Path data = dir.resolve("relay-data");
        RestartPolicy fast = new RestartPolicy(Duration.ofMillis(5), Duration.ofMillis(10), 1);
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(data).restartPolicy(fast).build().start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> host.functionState("broken") == FunctionState.FAILED);
            host.submit(Message.builder().body("keep me").property("kind", "job").build()).get();
            await().atMost(Duration.ofSeconds(10)).until(() -> host.stats().functions().get("relay").lostOutputs() == 1);
        }
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(data).restartPolicy(fast).build().start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> host.stats().functions().get("relay").invocations() >= 1);
        }
    }

    private static Set<String> doneBodies(EdgeHost host) {
        Set<String> bodies = new HashSet<>();
        List<BufferedRecord> records = host.buffer().cursor(UpstreamRecords.CURSOR).poll(1_000);
        records.forEach(r -> bodies.add(UpstreamRecords.decode(r.payload()).bodyAsString()));
        host.buffer().cursor(UpstreamRecords.CURSOR).rewind();
        return bodies;
    }
}
