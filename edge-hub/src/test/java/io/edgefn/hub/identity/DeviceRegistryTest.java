package io.edgefn.hub.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.edgefn.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class DeviceRegistryTest {
    @TempDir
    Path dataDir;

    private final ManualClock clock = new ManualClock();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger registryLog = (Logger) LoggerFactory.getLogger(DeviceRegistry.class);

    @BeforeEach
    void captureLog() {
        logged.start();
        registryLog.addAppender(logged);
    }

    @AfterEach
    void releaseLog() {
        registryLog.detachAppender(logged);
    }

    private DeviceRegistry open() {
        return DeviceRegistry.open(dataDir, clock, new Random(7));
    }

    @Test
    void add_device_hasTwoDistinct32ByteKeysAndIsFound() {
        DeviceRegistry registry = open();
        Identity added = registry.add("dev1", null, null);

        assertThat(Base64.getDecoder().decode(added.primaryKey())).hasSize(32);
        assertThat(Base64.getDecoder().decode(added.secondaryKey())).hasSize(32);
        assertThat(added.primaryKey()).isNotEqualTo(added.secondaryKey());
        assertThat(added.createdAt()).isEqualTo(clock.instant());
        assertThat(registry.find("dev1", null)).contains(added);
        assertThat(registry.find("dev1", "m")).isEmpty();
        assertThat(registry.list()).containsExactly(added);
    }

    @Test
    void add_moduleAndX509_areKeptApartFromDevices() {
        DeviceRegistry registry = open();
        Identity device = registry.add("gw1", null, null);
        Identity module = registry.add("gw1", "filter", null);
        Identity camera = registry.add("cam", null, "ab:cd:".repeat(10).substring(0, 59));

        assertThat(module.isModule()).isTrue();
        assertThat(camera.x509Thumbprint()).isEqualTo("ABCD".repeat(10));
        assertThat(camera.primaryKey()).isNull();
        assertThat(open().list()).containsExactly(device, module, camera);
    }

    @Test
    void add_duplicate_isRefused() {
        DeviceRegistry registry = open();
        registry.add("dev1", null, null);
        assertThatThrownBy(() -> registry.add("dev1", null, null)).isInstanceOf(IdentityException.class)
                .hasMessageContaining("device \"dev1\" is already registered");
        registry.add("gw", "m1", null);
        assertThatThrownBy(() -> registry.add("gw", "m1", null)).hasMessageContaining("module \"gw/m1\" is already registered");
    }

    @Test
    void add_invalidIdsOrThumbprint_areRefusedWithTheReason() {
        DeviceRegistry registry = open();
        assertThatThrownBy(() -> registry.add("a+b", null, null)).hasMessageContaining("invalid device id \"a+b\"")
                .hasMessageContaining("'+'");
        assertThatThrownBy(() -> registry.add("", null, null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> registry.add("gw", "m#", null)).hasMessageContaining("invalid module id");
        assertThatThrownBy(() -> registry.add("d", null, "XYZ")).hasMessageContaining("40 (SHA-1) or 64 (SHA-256) hex digits");
        assertThat(registry.list()).isEmpty();
    }

    @Test
    void remove_removesOnlyThatIdentity() {
        DeviceRegistry registry = open();
        registry.add("dev1", null, null);
        Identity module = registry.add("dev1", "m", null);

        assertThat(registry.remove("dev1", null)).isTrue();
        assertThat(registry.remove("dev1", null)).isFalse();
        assertThat(registry.list()).containsExactly(module);
    }

    @Test
    void file_isOwnerOnlyAndHoldsTheKeys_butToStringDoesNot() throws Exception {
        DeviceRegistry registry = open();
        Identity added = registry.add("dev1", null, null);

        Path file = dataDir.resolve("identity/registry.json");
        assertThat(registry.file()).isEqualTo(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains(added.primaryKey());
        assertThat(added.toString()).contains("dev1").doesNotContain(added.primaryKey()).doesNotContain(added.secondaryKey());
    }

    @Test
    void find_seesAnotherInstancesAdditionOnceTheRestatIntervalPassed() {
        DeviceRegistry host = open();
        assertThat(host.find("dev1", null)).isEmpty();
        Identity added = open().add("dev1", null, null); // another process, in effect

        clock.advance(Duration.ofMillis(199));
        assertThat(host.find("dev1", null)).as("within the 200 ms re-stat interval").isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(host.find("dev1", null)).contains(added);

        open().remove("dev1", null);
        host.reload();
        assertThat(host.find("dev1", null)).isEmpty();
    }

    @Test
    void find_afterTheFileTurnedMalformed_keepsTheLastGoodRegistryAndWarnsOnce() throws Exception {
        DeviceRegistry host = open();
        Identity added = host.add("dev1", null, null);
        Files.writeString(host.file(), "{\"identities\": [ {\"deviceId\": \"dev2\"");

        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertThat(host.find("dev1", null)).contains(added);
        }
        List<String> warnings = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).singleElement().asString().contains(host.file().toString()).contains("not valid JSON")
                .contains("still using the 1 identities");

        assertThatThrownBy(() -> host.add("dev3", null, null)).as("a malformed file is not overwritten")
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(this::open).hasMessageContaining("registry.json is not valid JSON");
    }

    @Test
    void open_fileWithAMissingField_namesTheEntryAndTheField() throws Exception {
        open().add("dev1", null, null);
        Path file = dataDir.resolve("identity/registry.json");
        Files.writeString(file, Files.readString(file).replace("\"createdAt\"", "\"created\""));
        assertThatThrownBy(this::open).hasMessageContaining("identities[0]: \"createdAt\" is missing");
    }
}
