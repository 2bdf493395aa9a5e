package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.deploy.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A function whose constructor never returns costs the start timeout, not the host. */
@Timeout(60) // a hang guard: before bounded starts, start() never returned here
class BoundedStartIT {

    /** Set to let the blocked constructor return once the test is over: it ignores interrupts. */
    private static final String RELEASE = "edgefn.test.BoundedStartIT.release";

    @TempDir
    Path dir;

    private EdgeHost host;

    @AfterEach
    void release() {
        System.setProperty(RELEASE, "true");
        if (host != null) {
            host.close();
        }
    }

    @Test
    void aConstructorThatBlocks_leavesItsFunctionFailed_andTheHostStartsWithTheOthers() throws Exception {
        System.clearProperty(RELEASE);
        Path jar = TestPackages.build(dir, "blocking", Map.of(
                "t.Blocker", """
                        package t;
                        import io.edgefn.api.*;
                        @EdgeFunction("blocker")
                        public class Blocker {
                            public Blocker() {
                                while (!Boolean.getBoolean("%s")) {
                                    try {
                                        Thread.sleep(20);
                                    } catch (InterruptedException ignored) {
                                        // a constructor waiting for a PLC that never answers, deaf to interrupts
                                    }
                                }
                            }
                            @RouteTrigger(input = "in") public void onMessage(String body) { }
                        }""".formatted(RELEASE),
                "t.Echo", """
                        package t;
                        import io.edgefn.api.*;
                        @EdgeFunction("echo")
                        public class Echo {
                            @RouteTrigger(input = "in") @SendTo("out")
                            public String onMessage(String body) { return "echo " + body; }
                        }"""));
        String json = """
                {"packages": {"t": {"file": "%s"}},
                 "routes": {
                   "toBlocker": "FROM /messages/* WHERE target = 'blocker' INTO BrokeredEndpoint(\\"/modules/blocker/inputs/in\\")",
                   "toEcho": "FROM /messages/* WHERE target = 'echo' INTO BrokeredEndpoint(\\"/modules/echo/inputs/in\\")",
                   "up": "FROM /messages/modules/echo/outputs/* INTO $upstream"}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "blocking deployment", dir);

        // Long enough for echo's constructor on a busy machine: its thread starts at idle priority.
        host = EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("data"))
                .startTimeout(Duration.ofSeconds(2)).build().start();

        assertThat(host.state()).isEqualTo(HostState.RUNNING);
        assertThat(host.functionState("blocker")).isEqualTo(FunctionState.FAILED);
        assertThat(host.stats().functions().get("blocker").lastProblem())
                .contains("did not return within the start timeout of 2000 ms");
        assertThat(host.functionState("echo")).isEqualTo(FunctionState.RUNNING);

        host.submit(Message.builder().body("hello").property("target", "echo").build()).get();
        await().atMost(Duration.ofSeconds(20)).until(() -> host.stats().upstreamHeld() == 1);
        assertThat(host.submit(Message.builder().body("x").property("target", "blocker").build()))
                .as("a FAILED function refuses its messages").failsWithin(Duration.ofSeconds(10));
    }
}
