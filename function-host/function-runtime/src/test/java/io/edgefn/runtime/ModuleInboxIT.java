package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.api.Message;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.deploy.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routes to an external module fill its inboxes while nothing drains them: the ordinary route's
 * in memory, the durable route's on disk, which a restart keeps.
 */
class ModuleInboxIT {

    @TempDir
    Path dir;

    private Deployment deployment() {
        String json = """
                {"modules": {"filter": {"inputs": ["in", "alarms"]}},
                 "routes": {"toFilter": "FROM /messages WHERE kind = 'reading' INTO BrokeredEndpoint(\\"/modules/filter/inputs/in\\")",
                            "alarms": {"route": "FROM /messages WHERE kind = 'alarm' INTO BrokeredEndpoint(\\"/modules/filter/inputs/alarms\\")",
                                       "durable": true, "priority": 0}}}
                """;
        return Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "modules deployment", dir);
    }

    private static List<String> bodies(List<BufferedRecord> records) {
        return records.stream().map(r -> UpstreamRecords.decode(r.payload()).bodyAsString()).toList();
    }

    @Test
    void messagesForAModuleThatIsAway_waitInItsInboxes_andTheDurableOnesSurviveARestart() throws Exception {
        Path data = dir.resolve("data");
        try (EdgeHost host = EdgeHost.builder().deployment(deployment()).dataDirectory(data).gatewayId("gw").build().start()) {
            for (int i = 0; i < 3; i++) {
                host.submit(Message.builder().body("r" + i).property("kind", "reading").build()).get(10, TimeUnit.SECONDS);
            }
            host.submit(Message.builder().body("a0").property("kind", "alarm").build()).get(10, TimeUnit.SECONDS);

            List<ModuleInbox> inboxes = host.moduleInboxes("filter");
            assertThat(inboxes).extracting(ModuleInbox::input, ModuleInbox::durable)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("in", false),
                            org.assertj.core.groups.Tuple.tuple("alarms", true));
            assertThat(bodies(inboxes.get(0).cursor().poll(10))).containsExactly("r0", "r1", "r2");
            assertThat(host.stats().undeliverable()).isZero();
            assertThat(host.moduleInboxes("nobody")).isEmpty();
        }
        try (EdgeHost host = EdgeHost.builder().deployment(deployment()).dataDirectory(data).gatewayId("gw").build().start()) {
            ModuleInbox alarms = host.moduleInboxes("filter").get(1);
            List<BufferedRecord> kept = alarms.cursor().poll(10);
            assertThat(bodies(kept)).containsExactly("a0");
            Message alarm = UpstreamRecords.decode(kept.get(0).payload());
            assertThat(alarm.systemProperty(io.edgefn.api.SystemProperties.CONNECTION_DEVICE_ID)).isEqualTo("gw");
            assertThat(host.moduleInboxes("filter").get(0).cursor().depth()).isZero();
        }
    }
}
