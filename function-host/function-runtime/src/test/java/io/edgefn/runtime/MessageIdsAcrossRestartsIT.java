package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.deploy.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Message ids never repeat across runs of one host on one data directory: before, outputs were
 * numbered {@code fn#N.i} from 1 at every start, so the second run re-used the first run's ids
 * and a de-duplicating receiver dropped real messages.
 */
class MessageIdsAcrossRestartsIT {

    @TempDir
    Path dir;

    @Test
    void twoRunsOnOneDataDirectory_neverStampTheSameId() throws Exception {
        Path jar = TestPackages.build(dir, "relay", Map.of("t.Relay", """
                package t;
                import io.edgefn.api.*;
                @EdgeFunction("relay")
                public class Relay {
                    @RouteTrigger(input = "in") @SendTo("out")
                    public String relay(String body) { return "relayed " + body; }
                }"""));
        String json = """
                {"packages": {"t": {"file": "%s"}},
                 "routes": {"in": "FROM /messages WHERE kind = 'job' INTO BrokeredEndpoint(\\"/modules/relay/inputs/in\\")",
                            "up": "FROM /messages/* INTO $upstream"}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "relay deployment", dir);
        Path data = dir.resolve("data");
        // The same instant in both runs: uniqueness must not rest on the clock moving on.
        InstantSource frozen = InstantSource.fixed(Instant.parse("2026-11-30T12:00:00Z"));

        for (int run = 0; run < 2; run++) {
            try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(data).clock(frozen).build().start()) {
                for (int i = 0; i < 20; i++) {
                    host.submit(Message.builder().body("job-" + i).property("kind", "job").build()).get();
                }
                int expected = 40 * (run + 1); // each job once as it came in, once relayed
                await().atMost(Duration.ofSeconds(20)).until(() -> host.stats().upstreamHeld() == expected);
            }
        }

        // Read with the same clock: by the system's, the records' time to live would be over.
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(data).clock(frozen).build().start()) {
            List<String> ids = new ArrayList<>();
            for (BufferedRecord r : host.buffer().cursor(UpstreamRecords.CURSOR).poll(1_000)) {
                ids.add(UpstreamRecords.decode(r.payload()).systemProperty(SystemProperties.MESSAGE_ID));
            }
            assertThat(ids).hasSize(80).doesNotContainNull();
            assertThat(new HashSet<>(ids)).hasSize(80);
        }
    }
}
