package io.edgefn.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamConfigTest {

    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    @TempDir
    Path dir;

    private Path secretFile(String name, String content, String mode) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void parse_mqttUrl_isBrokerModeWithoutAuth() {
        UpstreamConfig c = UpstreamConfig.parse("mqtt://broker.example:1884", null, Map.of());
        assertThat(c.mode()).isEqualTo(UpstreamConfig.Mode.BROKER);
        assertThat(c.serverUri()).isEqualTo("tcp://broker.example:1884");
        assertThat(c.tls()).isFalse();
        assertThat(c.authMethod()).isEqualTo("anonymous");
    }

    @Test
    void parse_mqttsWithoutPort_defaultsTo8883() {
        assertThat(UpstreamConfig.parse("mqtts://broker.example", null, Map.of()).serverUri()).isEqualTo("ssl://broker.example:8883");
        assertThat(UpstreamConfig.parse("mqtt://broker.example", null, Map.of()).serverUri()).isEqualTo("tcp://broker.example:1883");
    }

    @Test
    void parse_authFile_givesUsernameAndPassword_andToStringHidesThePassword() throws IOException {
        Path auth = secretFile("auth", "# gateway login\nusername = gw\npassword=p@ss=word\n", "rw-------");
        UpstreamConfig c = UpstreamConfig.parse("mqtt://127.0.0.1:1883", "@" + auth, Map.of());
        assertThat(c.username()).isEqualTo("gw");
        assertThat(c.password()).isEqualTo("p@ss=word");
        assertThat(c.toString()).contains("username=gw").contains("auth=password").doesNotContain("p@ss");
    }

    @Test
    void parse_authFileReadableByOthers_isRefusedWithTheFix() throws IOException {
        Path auth = secretFile("auth", "username=gw\npassword=x\n", "rw-r--r--");
        assertThatThrownBy(() -> UpstreamConfig.parse("mqtt://h:1", "@" + auth, Map.of()))
                .isInstanceOf(UpstreamConfigException.class)
                .hasMessageContaining(auth.toString()).hasMessageContaining("rw-r--r--").hasMessageContaining("chmod 600");
    }

    @Test
    void parse_authFromEnvironment_whenNoFileIsGiven() {
        UpstreamConfig c = UpstreamConfig.parse("mqtt://h:1", null, Map.of(UpstreamConfig.AUTH_ENV, "username=gw\npassword=pw"));
        assertThat(c.username()).isEqualTo("gw");
        assertThat(c.password()).isEqualTo("pw");
    }

    @Test
    void parse_inlineAuth_isRefusedBecauseItShowsInPs() {
        assertThatThrownBy(() -> UpstreamConfig.parse("mqtt://h:1", "password=x", Map.of()))
                .hasMessageContaining("@FILE").hasMessageContaining(UpstreamConfig.AUTH_ENV).hasMessageNotContaining("password=x");
    }

    @Test
    void parse_iotHubConnectionString_isTlsTo8883WithSas() {
        UpstreamConfig c = UpstreamConfig.parse("HostName=myhub.azure-devices.net;DeviceId=gw;SharedAccessKey=" + KEY, null, Map.of());
        assertThat(c.mode()).isEqualTo(UpstreamConfig.Mode.IOT_HUB);
        assertThat(c.serverUri()).isEqualTo("ssl://myhub.azure-devices.net:8883");
        assertThat(c.deviceId()).isEqualTo("gw");
        assertThat(c.sharedAccessKey()).isEqualTo(KEY);
        assertThat(c.authMethod()).isEqualTo("sas");
        assertThat(c.toString()).doesNotContain(KEY);
    }

    @Test
    void parse_connectionStringFromFile_withTheKeyInTheAuthFile() throws IOException {
        Path cs = dir.resolve("upstream");
        Files.writeString(cs, "HostName=myhub.azure-devices.net;DeviceId=gw\n");
        Path auth = secretFile("auth", "sharedAccessKey=" + KEY + "\n", "rw-------");
        UpstreamConfig c = UpstreamConfig.parse("@" + cs, "@" + auth, Map.of());
        assertThat(c.sharedAccessKey()).isEqualTo(KEY);
    }

    @Test
    void parse_connectionStringFileWithAKey_mustBeOwnerOnly() throws IOException {
        Path cs = secretFile("upstream", "HostName=h.net;DeviceId=gw;SharedAccessKey=" + KEY, "rw-rw----");
        assertThatThrownBy(() -> UpstreamConfig.parse("@" + cs, null, Map.of())).hasMessageContaining("chmod 600");
    }

    @Test
    void parse_x509Auth_readsCertificateAndKeyPathsRelativeToTheAuthFile() throws IOException {
        Files.writeString(dir.resolve("gw.pem"), "cert");
        secretFile("gw.key", "key", "rw-------");
        Path auth = secretFile("auth", "certificate=gw.pem\nprivateKey=gw.key\n", "rw-------");
        UpstreamConfig c = UpstreamConfig.parse("HostName=h.net;DeviceId=gw;x509=true", "@" + auth, Map.of());
        assertThat(c.certificate()).isEqualTo(dir.resolve("gw.pem"));
        assertThat(c.privateKey()).isEqualTo(dir.resolve("gw.key"));
        assertThat(c.authMethod()).isEqualTo("x509");
    }

    @Test
    void parse_badInputs_nameTheBadPart() throws IOException {
        Map<String, String> none = Map.of();
        assertThatThrownBy(() -> UpstreamConfig.parse("http://h:1", null, none)).hasMessageContaining("'http://h:1'");
        assertThatThrownBy(() -> UpstreamConfig.parse("", null, none)).hasMessageContaining("mqtt://host:port");
        assertThatThrownBy(() -> UpstreamConfig.parse("mqtt://u:p@h:1", null, none)).hasMessageContaining("user:password");
        assertThatThrownBy(() -> UpstreamConfig.parse("mqtt://h:1/x", null, none)).hasMessageContaining("without a path");
        assertThatThrownBy(() -> UpstreamConfig.parse("DeviceId=gw;SharedAccessKey=" + KEY, null, none)).hasMessageContaining("no HostName");
        assertThatThrownBy(() -> UpstreamConfig.parse("HostName=h.net;SharedAccessKey=" + KEY, null, none)).hasMessageContaining("no DeviceId");
        assertThatThrownBy(() -> UpstreamConfig.parse("HostName=h.net;DeviceId=gw", null, none)).hasMessageContaining("no credentials");
        assertThatThrownBy(() -> UpstreamConfig.parse("HostName=h.net;DeviceId=gw;SharedAccessKey=***", null, none))
                .hasMessageContaining("not Base64").hasMessageNotContaining("***");
        assertThatThrownBy(() -> UpstreamConfig.parse("HostName=h.net;DeviceId=gw;Colour=red", null, none)).hasMessageContaining("'Colour'");
        assertThatThrownBy(() -> UpstreamConfig.parse("mqtt://h:1", null, Map.of(UpstreamConfig.AUTH_ENV, "username=a\nfoo=b")))
                .hasMessageContaining("line 2").hasMessageContaining("'foo'");
        assertThatThrownBy(() -> UpstreamConfig.parse("mqtt://h:1", null, Map.of(UpstreamConfig.AUTH_ENV, "password=b")))
                .hasMessageContaining("without username");
        assertThatThrownBy(() -> UpstreamConfig.parse("mqtt://h:1", null, Map.of(UpstreamConfig.AUTH_ENV, "sharedAccessKey=" + KEY)))
                .hasMessageContaining("sharedAccessKey is for an IoT Hub");
        assertThatThrownBy(() -> UpstreamConfig.parse("mqtt://h:1", "@" + dir.resolve("missing"), none)).hasMessageContaining("does not exist");
        Files.writeString(dir.resolve("c.pem"), "x");
        assertThatThrownBy(() -> UpstreamConfig.parse("mqtt://h:1", null, Map.of(UpstreamConfig.AUTH_ENV, "ca=" + dir.resolve("c.pem"))))
                .hasMessageContaining("needs mqtts://");
        assertThatThrownBy(() -> UpstreamConfig.parse("mqtts://h:1", null, Map.of(UpstreamConfig.AUTH_ENV, "certificate=" + dir.resolve("c.pem"))))
                .hasMessageContaining("certificate and privateKey go together");
    }
}
