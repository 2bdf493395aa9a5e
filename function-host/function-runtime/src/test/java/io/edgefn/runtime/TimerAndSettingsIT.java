package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.buffer.BufferedRecord;
import io.edgefn.deploy.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Timer triggers fire in a running host, and a function reads its settings overlaid by desired properties. */
class TimerAndSettingsIT {

    @TempDir
    Path dir;

    @Test
    void fixedRateTimer_firesAndSeesDesiredOverridingPackageSettings() throws Exception {
        Path jar = TestPackages.build(dir, "heartbeat", Map.of("t.Heartbeat", """
                package t;
                import io.edgefn.api.*;
                @EdgeFunction("heartbeat")
                public class Heartbeat {
                    private int beats;
                    @TimerTrigger(fixedRate = "PT0.05S") @SendTo("beats")
                    public String beat(FunctionContext context) {
                        return context.settings().string("greeting").orElse("?") + " " + (++beats)
                                + " every " + context.settings().integer("everyMillis", -1);
                    }
                }"""));
        String json = """
                {"packages": {"t": {"file": "%s", "settings": {"greeting": "hello", "everyMillis": 50}}},
                 "routes": {"up": "FROM /messages/modules/heartbeat/outputs/beats INTO $upstream"},
                 "desired": {"heartbeat": {"greeting": "bonjour"}}}
                """.formatted(jar.toString().replace("\\", "\\\\"));
        Deployment deployment = Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "timer deployment", dir);
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("data")).build().start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> host.stats().upstreamHeld() >= 3);
            List<BufferedRecord> records = host.buffer().cursor(UpstreamRecords.CURSOR).poll(3);
            assertThat(records).extracting(r -> UpstreamRecords.decode(r.payload()).bodyAsString())
                    .containsExactly("bonjour 1 every 50", "bonjour 2 every 50", "bonjour 3 every 50");
        }
    }
}
