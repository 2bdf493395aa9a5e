package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.app.cli.EdgefnCommand;
import io.edgefn.hub.identity.AuthResult;
import io.edgefn.hub.identity.Authenticator;
import io.edgefn.hub.identity.ConnectionString;
import io.edgefn.hub.identity.DeviceRegistry;
import io.edgefn.hub.identity.GatewayIdentity;
import io.edgefn.hub.identity.SasToken;
import io.edgefn.runtime.DataDirectory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgefn devices} and {@code edgefn certs}: on a fresh data directory, and beside a running host. */
class IdentityCommandsTest {
    @TempDir
    Path dir;


    @Test
    void devicesAdd_onAFreshDirectory_printsOneConnectionStringLine() {
        CliRun run = CliRun.ok("devices", "add", "sensor-1", "--data-dir", dir.toString(), "--gateway-id", "gw1", "--hostname", "gateway.lan");

        assertThat(run.out()).endsWith("\n").hasLineCount(1);
        Map<String, String> fields = ConnectionString.parse(run.out().trim());
        assertThat(fields.keySet()).containsExactly("HostName", "DeviceId", "SharedAccessKey", "GatewayHostName");
        assertThat(fields).containsEntry("HostName", "gw1.edgefn.local").containsEntry("DeviceId", "sensor-1")
                .containsEntry("GatewayHostName", "gateway.lan");
        assertThat(run.err()).contains("created the gateway identity gw1");
        assertThat(dir.resolve("identity/certs/server.pem")).exists();
        assertThat(dir.resolve("lock")).doesNotExist();

        // The key printed is one the gateway accepts.
        GatewayIdentity gateway = GatewayIdentity.load(dir).orElseThrow();
        String token = SasToken.create(fields.get("HostName") + "/devices/sensor-1",
                Base64.getDecoder().decode(fields.get("SharedAccessKey")), Instant.now().plusSeconds(600), null);
        AuthResult result = new Authenticator(gateway, DeviceRegistry.open(dir), InstantSource.system())
                .authenticate("sensor-1", "gw1.edgefn.local/sensor-1/?api-version=2021-04-12", token, List.of());
        assertThat(result).isInstanceOf(AuthResult.Accepted.class);
    }

    @Test
    void devicesAdd_module_namesTheGatewayAsDevice() {
        CliRun.ok("devices", "add", "first", "--data-dir", dir.toString(), "--gateway-id", "gw1");
        CliRun run = CliRun.ok("devices", "add", "filter", "--module", "--data-dir", dir.toString());

        Map<String, String> fields = ConnectionString.parse(run.out().trim());
        assertThat(fields.keySet()).containsExactly("HostName", "DeviceId", "ModuleId", "SharedAccessKey", "GatewayHostName");
        assertThat(fields).containsEntry("DeviceId", "gw1").containsEntry("ModuleId", "filter");
    }

    @Test
    void devicesAdd_x509_printsAConnectionStringWithoutKey() {
        CliRun run = CliRun.ok("devices", "add", "cam", "--x509-thumbprint", "ab".repeat(32), "--data-dir", dir.toString(), "--gateway-id", "gw1");
        assertThat(ConnectionString.parse(run.out().trim())).containsEntry("x509", "true").doesNotContainKey("SharedAccessKey");
    }

    @Test
    void devicesAdd_whileAHostHoldsTheDataDirectory_works() {
        try (DataDirectory host = DataDirectory.lock(dir)) {
            CliRun run = CliRun.ok("devices", "add", "sensor-2", "--data-dir", dir.toString(), "--gateway-id", "gw1");
            assertThat(ConnectionString.parse(run.out().trim())).containsEntry("DeviceId", "sensor-2");
        }
    }

    @Test
    void devicesAdd_duplicateOrInvalid_failsWithTheReason() {
        CliRun.ok("devices", "add", "d1", "--data-dir", dir.toString(), "--gateway-id", "gw1");
        CliRun duplicate = CliRun.run("devices", "add", "d1", "--data-dir", dir.toString());
        assertThat(duplicate.status()).isEqualTo(1);
        assertThat(duplicate.out()).isEmpty();
        assertThat(duplicate.err()).contains("device \"d1\" is already registered");
        assertThat(CliRun.run("devices", "add", "a#b", "--data-dir", dir.toString()).err()).contains("invalid device id \"a#b\"");
        assertThat(CliRun.run("devices", "add", "d2", "--data-dir", dir.toString(), "--gateway-id", "other").err())
                .contains("the gateway id of").contains("is gw1");
    }

    @Test
    void devicesList_showsIdsKindAndAuth_neverKeys() throws Exception {
        String connection = CliRun.ok("devices", "add", "d1", "--data-dir", dir.toString(), "--gateway-id", "gw1").out().trim();
        CliRun.ok("devices", "add", "m1", "--module", "--data-dir", dir.toString());
        String key = ConnectionString.parse(connection).get("SharedAccessKey");

        String table = CliRun.ok("devices", "list", "--data-dir", dir.toString()).out();
        assertThat(table).contains("d1").contains("gw1/m1").contains("module").contains("sas").doesNotContain(key);
        JsonNode json = new ObjectMapper().readTree(CliRun.ok("devices", "list", "--data-dir", dir.toString(), "--json").out());
        assertThat(json).hasSize(2);
        assertThat(json.get(1).path("moduleId").asText()).isEqualTo("m1");
        assertThat(json.toString()).doesNotContain(key);
    }

    @Test
    void devicesRemove_removesOrSaysItWasAbsent() {
        CliRun.ok("devices", "add", "d1", "--data-dir", dir.toString(), "--gateway-id", "gw1");
        CliRun.ok("devices", "remove", "d1", "--data-dir", dir.toString());
        CliRun again = CliRun.run("devices", "remove", "d1", "--data-dir", dir.toString());
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("no device d1 is registered");
    }

    @Test
    void certsExport_printsTheCaCertificatePem() throws Exception {
        CliRun run = CliRun.ok("certs", "export", "--data-dir", dir.toString(), "--hostname", "gateway.lan");

        assertThat(run.out()).startsWith("-----BEGIN CERTIFICATE-----").endsWith("-----END CERTIFICATE-----\n");
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(run.out().getBytes(StandardCharsets.US_ASCII)));
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(run.out()).isEqualTo(Files.readString(dir.resolve("identity/certs/ca.pem")));
        assertThat(CliRun.ok("certs", "export", "--data-dir", dir.toString()).out()).as("the same CA each time").isEqualTo(run.out());
    }
}
