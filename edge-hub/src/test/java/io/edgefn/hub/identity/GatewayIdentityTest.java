package io.edgefn.hub.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayIdentityTest {
    @TempDir
    Path dataDir;

    @Test
    void loadOrCreate_firstUse_recordsIdHostnameAndLocalHubName() throws Exception {
        GatewayIdentity created = GatewayIdentity.loadOrCreate(dataDir, "gw-1", "gateway.lan");

        assertThat(created).isEqualTo(new GatewayIdentity("gw-1", "gateway.lan", "gw-1.edgefn.local"));
        assertThat(created.attachedToIotHub()).isFalse();
        Path file = dataDir.resolve("identity/gateway.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(GatewayIdentity.load(dataDir)).contains(created);
    }

    @Test
    void loadOrCreate_withoutHostname_usesTheMachinesHostname() {
        assertThat(GatewayIdentity.loadOrCreate(dataDir, "gw", null).hostname()).isEqualTo(GatewayIdentity.machineHostname());
    }

    @Test
    void loadOrCreate_later_keepsTheRecordedIdAndUpdatesAChangedHostname() {
        GatewayIdentity.loadOrCreate(dataDir, "gw-1", "old.lan");

        assertThat(GatewayIdentity.loadOrCreate(dataDir, "other", null)).isEqualTo(new GatewayIdentity("gw-1", "old.lan", "gw-1.edgefn.local"));
        assertThat(GatewayIdentity.loadOrCreate(dataDir, "other", "new.lan").hostname()).isEqualTo("new.lan");
        assertThat(GatewayIdentity.load(dataDir).orElseThrow().hostname()).isEqualTo("new.lan");
    }

    @Test
    void attachToIotHub_changesTheHubNameHandedOut() {
        GatewayIdentity.loadOrCreate(dataDir, "gw-1", "gateway.lan");
        GatewayIdentity attached = GatewayIdentity.attachToIotHub(dataDir, "myhub.azure-devices.net");

        assertThat(attached.hubHostName()).isEqualTo("myhub.azure-devices.net");
        assertThat(attached.attachedToIotHub()).isTrue();
        assertThat(GatewayIdentity.loadOrCreate(dataDir, "gw-1", null)).isEqualTo(attached);
        assertThat(GatewayIdentity.attachToIotHub(dataDir, null).hubHostName()).isEqualTo("gw-1.edgefn.local");
    }

    @Test
    void loadOrCreate_invalidIds_sayWhatIsWrong() {
        assertThatThrownBy(() -> GatewayIdentity.loadOrCreate(dataDir, "gw/1", "h"))
                .isInstanceOf(IdentityException.class).hasMessageContaining("invalid gateway id \"gw/1\"")
                .hasMessageContaining("'/' at position 3");
        assertThatThrownBy(() -> GatewayIdentity.loadOrCreate(dataDir, "x".repeat(129), "h")).hasMessageContaining("129 characters");
        assertThatThrownBy(() -> GatewayIdentity.loadOrCreate(dataDir, "gw", "bad host")).hasMessageContaining("invalid hostname");
        assertThat(Files.exists(dataDir.resolve("identity/gateway.json"))).isFalse();
    }

    @Test
    void load_malformedFile_namesTheFile() throws Exception {
        Files.createDirectories(dataDir.resolve("identity"));
        Files.writeString(dataDir.resolve("identity/gateway.json"), "{\"hostname\":\"h\"}");
        assertThatThrownBy(() -> GatewayIdentity.load(dataDir)).hasMessageContaining("gateway.json")
                .hasMessageContaining("no \"gatewayId\"");
    }
}
