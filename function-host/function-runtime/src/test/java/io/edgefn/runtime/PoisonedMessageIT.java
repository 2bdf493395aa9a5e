package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.deploy.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, row 4: a TELEMETRY message whose JSON body is nested deeper than the body reader goes
 * was dropped from every route, {@code $upstream} included, as soon as one route read
 * {@code $body}; now only the body route passes it by, and the host counts it.
 */
class PoisonedMessageIT {

    @TempDir
    Path dir;

    @Test
    void bodyNestedTooDeep_stillReachesUpstream_andIsCountedInHostStats() throws Exception {
        String json = """
                {"routes": {"pressure": {"route": "FROM /messages WHERE $body.pressure > 150 INTO $upstream", "priority": 0},
                            "all": "FROM /messages/* INTO $upstream"}}
                """;
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "routes only", dir);
        byte[] poison = ("{\"a\":" + "[".repeat(1010)).getBytes(StandardCharsets.UTF_8);
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("data")).build().start()) {
            host.submit(Message.builder().jsonBody(new String(poison, StandardCharsets.UTF_8)).property("kind", "poison").build()).get();
            host.submit(Message.builder().jsonBody("{\"pressure\": 151}").property("kind", "healthy").build()).get();

            await().atMost(Duration.ofSeconds(20)).until(() -> host.stats().upstreamHeld() == 2);
            HostStats stats = host.stats();
            assertThat(stats.unreadableBodies()).isEqualTo(1);
            assertThat(stats.conditionFailures()).isZero();
            assertThat(stats.messagesByRoute()).containsEntry("all", 1L).containsEntry("pressure", 1L);
            assertThat(stats.unrouted()).isZero();

            List<Message> upstream = new ArrayList<>();
            for (BufferedRecord r : host.buffer().cursor(UpstreamRecords.CURSOR).poll(10)) {
                upstream.add(UpstreamRecords.decode(r.payload()));
            }
            // The healthy message came by the priority-0 route, so the buffer hands it out first.
            assertThat(upstream).extracting(m -> m.property("kind")).containsExactly("healthy", "poison");
            assertThat(upstream.get(1).body()).isEqualTo(poison);
        }
    }
}
