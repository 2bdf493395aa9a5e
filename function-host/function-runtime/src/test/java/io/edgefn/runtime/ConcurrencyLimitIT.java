package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.deploy.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A function's invocations overlap up to its maxConcurrency, never beyond. */
class ConcurrencyLimitIT {

    @TempDir
    Path dir;

    @Test
    void invocations_overlapUpToMaxConcurrency() throws Exception {
        Path jar = TestPackages.build(dir, "wide", Map.of("t.Wide", """
                package t;
                import io.edgefn.api.*;
                import java.util.concurrent.atomic.AtomicInteger;
                @EdgeFunction(value = "wide", maxConcurrency = 3)
                public class Wide {
                    private final AtomicInteger running = new AtomicInteger();
                    @RouteTrigger(input = "in") @SendTo("seen")
                    public String onMessage(String body) throws InterruptedException {
                        int now = running.incrementAndGet();
                        try {
                            Thread.sleep(150);
                            return Integer.toString(Math.max(now, running.get()));
                        } finally {
                            running.decrementAndGet();
                        }
                    }
                }"""));
        String json = """
                {"packages": {"t": {"file": "%s"}},
                 "routes": {"in": "FROM /messages WHERE kind = 'work' INTO BrokeredEndpoint(\\"/modules/wide/inputs/in\\")",
                            "up": "FROM /messages/modules/wide/outputs/seen INTO $upstream"}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "wide deployment", dir);
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("data")).build().start()) {
            for (int i = 0; i < 9; i++) {
                host.submit(Message.builder().body("w" + i).property("kind", "work").build()).get();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> host.stats().upstreamHeld() == 9);
            List<Integer> overlaps = host.buffer().cursor(UpstreamRecords.CURSOR).poll(9).stream()
                    .map(r -> Integer.parseInt(UpstreamRecords.decode(r.payload()).bodyAsString())).toList();
            assertThat(overlaps).allSatisfy(n -> assertThat(n).isBetween(1, 3));
            assertThat(overlaps).as("nine 150 ms invocations queued at once do overlap").anySatisfy(n -> assertThat(n).isGreaterThan(1));
        }
    }
}
