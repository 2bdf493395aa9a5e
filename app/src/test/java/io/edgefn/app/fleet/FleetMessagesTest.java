package io.edgefn.app.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tags, targets, and the fleet's messages read back as written, bad ones refused with the reason. */
class FleetMessagesTest {

    @TempDir
    Path dir;

    @Test
    void tags_parse_match_andAreRecordedInTheDataDirectory() {
        Map<String, String> tags = FleetTags.gatewayTags(List.of("site=north", "line = 2"));
        assertThat(tags).containsExactly(Map.entry("line", "2"), Map.entry("site", "north"));

        Map<String, List<String>> target = FleetTags.parse(List.of("site=north", "site=south", "line=2"), "--target", true);
        assertThat(FleetTags.matches(target, tags)).isTrue();
        assertThat(FleetTags.matches(target, Map.of("site", "south", "line", "2"))).isTrue();
        assertThat(FleetTags.matches(target, Map.of("site", "east", "line", "2"))).isFalse();
        assertThat(FleetTags.matches(target, Map.of("site", "north"))).isFalse();
        assertThat(FleetTags.matches(Map.of(), Map.of())).isTrue();

        assertThat(FleetTags.resolve(dir, tags)).isEqualTo(tags);
        assertThat(FleetTags.resolve(dir, null)).isEqualTo(tags);
        assertThat(FleetTags.resolve(dir, Map.of("site", "east"))).containsExactly(Map.entry("site", "east"));
        assertThat(FleetTags.resolve(dir.resolve("other"), null)).isEmpty();
    }

    @Test
    void badTags_areRefusedNamingThePair() {
        assertThatThrownBy(() -> FleetTags.gatewayTags(List.of("site"))).hasMessage("--tag 'site' is not KEY=VALUE");
        assertThatThrownBy(() -> FleetTags.gatewayTags(List.of("site=a", "site=b"))).hasMessage("--tag gives the key 'site' twice");
        assertThatThrownBy(() -> FleetTags.gatewayTags(List.of("site="))).hasMessageContaining("the value must be 1 to 256");
        assertThatThrownBy(() -> FleetTags.parse(List.of("s/x=1"), "--target", true)).hasMessageContaining("--target 's/x=1': the key");
    }

    @Test
    void aDeploymentMessage_readsBackAsWritten_andADamagedJarIsRefused() {
        byte[] jar = "not really a jar".getBytes(StandardCharsets.UTF_8);
        FleetDeployment sent = new FleetDeployment("20261201T000000Z-0a0b0c0d", "2026-12-01T00:00:00Z", "v2",
                Map.of("site", List.of("north")), "{\"version\": \"v2\"}",
                Map.of("relay", new FleetDeployment.InlinePackage("jars/relay.jar", FleetDeployment.sha256(jar), jar)));

        FleetDeployment read = FleetDeployment.parse(sent.toJson());
        assertThat(read.id()).isEqualTo(sent.id());
        assertThat(read.version()).isEqualTo("v2");
        assertThat(read.target()).isEqualTo(sent.target());
        assertThat(read.document()).isEqualTo(sent.document());
        assertThat(read.packages().get("relay").bytes()).isEqualTo(jar);

        String damaged = new String(sent.toJson(), StandardCharsets.UTF_8).replace(FleetDeployment.sha256(jar), "0".repeat(64));
        assertThatThrownBy(() -> FleetDeployment.parse(damaged.getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("fleet deployment 20261201T000000Z-0a0b0c0d: package 'relay' arrived with SHA-256")
                .hasMessageContaining("damaged or tampered with");
        assertThat(FleetDeployment.idOf(damaged.getBytes(StandardCharsets.UTF_8))).isEqualTo(sent.id());
        assertThatThrownBy(() -> FleetDeployment.parse("{\"document\": \"{}\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("no valid 'fleetDeployment' id");
        assertThatThrownBy(() -> FleetDeployment.parse("[1]".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("not a JSON object");
    }

    @Test
    void aStatusMessage_readsBackAsWritten() {
        FleetStatus sent = new FleetStatus("gw-1", "id-1", "v2", FleetStatus.REFUSED, List.of("bad route"), -1, -1, 12, "now");
        assertThat(FleetStatus.parse(sent.toJson())).isEqualTo(sent);
        assertThat(sent.done()).isTrue();
        assertThat(new FleetStatus("gw-1", "id-1", null, FleetStatus.APPLYING, List.of(), -1, -1, 0, "now").done()).isFalse();
        assertThatThrownBy(() -> FleetStatus.parse("{}".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("not a fleet status");
    }
}
