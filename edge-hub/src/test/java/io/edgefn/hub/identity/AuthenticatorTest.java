package io.edgefn.hub.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.testing.ManualClock;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticatorTest {
    private static final String API = "/?api-version=2021-04-12";

    @TempDir
    Path dataDir;

    private final ManualClock clock = new ManualClock();
    private final GatewayIdentity gateway = new GatewayIdentity("gw1", "gateway.lan", "gw1.edgefn.local");
    private DeviceRegistry registry;
    private Authenticator authenticator;
    private Identity dev1;

    @BeforeEach
    void setUp() {
        registry = DeviceRegistry.open(dataDir, clock, new Random(3));
        dev1 = registry.add("dev1", null, null);
        authenticator = new Authenticator(gateway, registry, clock);
    }

    private static byte[] key(String base64) {
        return Base64.getDecoder().decode(base64);
    }

    private String token(String resource, String base64Key, Instant expiry) {
        return SasToken.create(resource, key(base64Key), expiry, null);
    }

    private AuthResult connect(String clientId, String username, String password) {
        return authenticator.authenticate(clientId, username, password, List.of());
    }

    private static AuthResult.Refused refused(AuthResult result, int code) {
        assertThat(result).isInstanceOf(AuthResult.Refused.class);
        AuthResult.Refused refused = (AuthResult.Refused) result;
        assertThat(refused.connackCode()).as(refused.reason()).isEqualTo(code);
        return refused;
    }

    @Test
    void sas_primaryKey_isAccepted() {
        AuthResult result = connect("dev1", "gw1.edgefn.local/dev1" + API,
                token("gw1.edgefn.local/devices/dev1", dev1.primaryKey(), clock.instant().plusSeconds(3600)));
        assertThat(result).isEqualTo(new AuthResult.Accepted("dev1", null, AuthResult.DEVICE_SAS));
        assertThat(AuthResult.DEVICE_SAS).isEqualTo("{\"scope\":\"device\",\"type\":\"sas\",\"issuer\":\"iothub\"}");
    }

    @Test
    void sas_secondaryKey_andGatewayHostnameInAnyCase_areAccepted() {
        AuthResult result = connect("dev1", "gateway.lan/dev1" + API,
                token("GATEWAY.lan/devices/dev1", dev1.secondaryKey(), clock.instant().plusSeconds(60)));
        assertThat(result).isInstanceOf(AuthResult.Accepted.class);
    }

    @Test
    void sas_tokenByTheDocumentedAlgorithm_isAccepted() throws Exception {
        String password = SasTokenTest.azureToken("gw1.edgefn.local/devices/dev1", dev1.primaryKey(),
                clock.instant().plusSeconds(600).getEpochSecond());
        assertThat(connect("dev1", "gw1.edgefn.local/dev1" + API, password)).isInstanceOf(AuthResult.Accepted.class);
    }

    @Test
    void sas_module_isAcceptedWithModuleScope() {
        Identity module = registry.add("gw1", "filter", null);
        AuthResult result = connect("gw1/filter", "gw1.edgefn.local/gw1/filter" + API,
                token("gw1.edgefn.local/devices/gw1/modules/filter", module.primaryKey(), clock.instant().plusSeconds(60)));
        assertThat(result).isEqualTo(new AuthResult.Accepted("gw1", "filter", AuthResult.MODULE_SAS));
    }

    @Test
    void sas_usernameWithExtraQueryParameters_isAccepted() {
        AuthResult result = connect("dev1",
                "gw1.edgefn.local/dev1/?api-version=2021-04-12&DeviceClientType=com.microsoft.azure.sdk.iot.iot-device-client%2F2.5.0&model-id=dtmi:x;1",
                token("gw1.edgefn.local/devices/dev1", dev1.primaryKey(), clock.instant().plusSeconds(60)));
        assertThat(result).isInstanceOf(AuthResult.Accepted.class);
    }

    @Test
    void sas_expiredWithinTheSkew_isAccepted_beyondIt_isRefused() {
        String password = token("gw1.edgefn.local/devices/dev1", dev1.primaryKey(), clock.instant());
        clock.advance(Duration.ofMinutes(5));
        assertThat(connect("dev1", "gw1.edgefn.local/dev1" + API, password)).isInstanceOf(AuthResult.Accepted.class);

        clock.advance(Duration.ofSeconds(1));
        assertThat(refused(connect("dev1", "gw1.edgefn.local/dev1" + API, password), 5).reason())
                .contains("expired").contains("more than 5 minutes");
    }

    @Test
    void sas_wrongKey_isRefusedWithoutQuotingKeyOrSignature() {
        Identity other = registry.add("dev2", null, null);
        String password = token("gw1.edgefn.local/devices/dev1", other.primaryKey(), clock.instant().plusSeconds(60));
        String reason = refused(connect("dev1", "gw1.edgefn.local/dev1" + API, password), 5).reason();
        assertThat(reason).contains("matches neither the primary nor the secondary key")
                .doesNotContain(other.primaryKey()).doesNotContain(dev1.primaryKey())
                .doesNotContain(SasToken.parse(password).signature());
    }

    @Test
    void sas_wrongHostOrOtherDevicesResource_isRefused() {
        Instant later = clock.instant().plusSeconds(60);
        assertThat(refused(connect("dev1", "gw1.edgefn.local/dev1" + API,
                token("elsewhere.azure-devices.net/devices/dev1", dev1.primaryKey(), later)), 5).reason())
                .contains("for host \"elsewhere.azure-devices.net\"");
        assertThat(refused(connect("dev1", "gw1.edgefn.local/dev1" + API,
                token("gw1.edgefn.local/devices/dev2", dev1.primaryKey(), later)), 5).reason())
                .contains("resource \"/devices/dev2\", not /devices/dev1");
        assertThat(refused(connect("dev1", "gw1.edgefn.local/dev1" + API,
                token("gw1.edgefn.local/devices/DEV1", dev1.primaryKey(), later)), 5).reason())
                .as("ids are exact").contains("not /devices/dev1");
    }

    @Test
    void sas_malformedToken_isRefusedAsBadPassword() {
        assertThat(refused(connect("dev1", "gw1.edgefn.local/dev1" + API, "SharedAccessSignature sr=x&se=1"), 4).reason())
                .contains("no \"sig\"");
    }

    @Test
    void unknownIdentity_isRefusedAsNotAuthorized() {
        assertThat(refused(connect("ghost", "gw1.edgefn.local/ghost" + API,
                token("gw1.edgefn.local/devices/ghost", dev1.primaryKey(), clock.instant().plusSeconds(60))), 5).reason())
                .contains("device \"ghost\" is not registered");
    }

    @Test
    void usernameNotMatchingTheClientId_orMalformed_isRefusedAsBadUsername() {
        String password = token("gw1.edgefn.local/devices/dev1", dev1.primaryKey(), clock.instant().plusSeconds(60));
        assertThat(refused(connect("dev1", "gw1.edgefn.local/dev2" + API, password), 4).reason())
                .contains("names device \"dev2\" but the client id is \"dev1\"");
        assertThat(refused(connect("dev1", "gw1.edgefn.local/dev1/m1" + API, password), 4).reason())
                .contains("names module \"dev1/m1\"");
        assertThat(refused(connect("dev1", "dev1", password), 4).reason()).contains("{host}/{deviceId}/?api-version=");
        assertThat(refused(connect("dev1", null, password), 4).reason()).contains("no username");
        refused(connect("a/b/c", "h/a" + API, password), AuthResult.IDENTIFIER_REJECTED);
    }

    @Test
    void noPasswordNoCertificate_isRefusedAsBadPassword() {
        assertThat(refused(connect("dev1", "gw1.edgefn.local/dev1" + API, null), 4).reason())
                .contains("no password and no client certificate");
    }

    @Test
    void x509_selfSignedCertificateWithTheRegisteredThumbprint_isAccepted() {
        CertificateIssuer issuer = new CertificateIssuer(new SecureRandom());
        X509Certificate cert = issuer.certificateAuthority("cam", clock.instant().minusSeconds(60), clock.instant().plusSeconds(86400))
                .certificate();
        registry.add("cam", null, Authenticator.thumbprint(cert, 64));
        registry.add("cam1", null, Authenticator.thumbprint(cert, 40));

        assertThat(authenticator.authenticate("cam", "gw1.edgefn.local/cam" + API, null, List.of(cert)))
                .isEqualTo(new AuthResult.Accepted("cam", null, AuthResult.DEVICE_X509));
        assertThat(authenticator.authenticate("cam1", "gw1.edgefn.local/cam1" + API, "", List.of(cert)))
                .isInstanceOf(AuthResult.Accepted.class);
        CertificateIssuer.Issued other = issuer.certificateAuthority("x", clock.instant(), clock.instant().plusSeconds(86400));
        assertThat(refused(authenticator.authenticate("cam", "gw1.edgefn.local/cam" + API, null, List.of(other.certificate())), 5)
                .reason()).contains("is not the registered");
        clock.advance(Duration.ofDays(2));
        assertThat(refused(authenticator.authenticate("cam", "gw1.edgefn.local/cam" + API, null, List.of(cert)), 5).reason())
                .contains("valid only from");
    }

    @Test
    void x509_certificateIssuedByARegisteredCaNamingTheDevice_isAccepted() {
        CertificateIssuer issuer = new CertificateIssuer(new SecureRandom());
        Instant from = clock.instant().minusSeconds(60);
        Instant to = clock.instant().plusSeconds(86400);
        CertificateIssuer.Issued ca = issuer.certificateAuthority("fleet", from, to);
        X509Certificate leaf = issuer.server("sensor-7", ca, from, to).certificate(); // CN=sensor-7
        X509Certificate wrongName = issuer.server("sensor-8", ca, from, to).certificate();
        registry.add("sensor-7", null, Authenticator.thumbprint(ca.certificate(), 64));

        assertThat(authenticator.authenticate("sensor-7", "gw1.edgefn.local/sensor-7" + API, null, List.of(leaf, ca.certificate())))
                .isEqualTo(new AuthResult.Accepted("sensor-7", null, AuthResult.DEVICE_X509));
        assertThat(refused(authenticator.authenticate("sensor-7", "gw1.edgefn.local/sensor-7" + API, null,
                List.of(wrongName, ca.certificate())), 5).reason()).contains("CN is \"sensor-8\"");
        CertificateIssuer.Issued impostor = issuer.certificateAuthority("fleet", from, to);
        X509Certificate forged = issuer.server("sensor-7", impostor, from, to).certificate();
        assertThat(refused(authenticator.authenticate("sensor-7", "gw1.edgefn.local/sensor-7" + API, null,
                List.of(forged, ca.certificate())), 5).reason()).contains("not signed by the registered CA");
    }

    @Test
    void x509Identity_withASasToken_andSasIdentityWithACertificate_areRefused() {
        CertificateIssuer issuer = new CertificateIssuer(new SecureRandom());
        X509Certificate cert = issuer.certificateAuthority("cam", clock.instant(), clock.instant().plusSeconds(86400)).certificate();
        registry.add("cam", null, Authenticator.thumbprint(cert, 40));

        assertThat(refused(connect("cam", "gw1.edgefn.local/cam" + API,
                token("gw1.edgefn.local/devices/cam", dev1.primaryKey(), clock.instant().plusSeconds(60))), 5).reason())
                .contains("registered for X.509");
        assertThat(refused(authenticator.authenticate("dev1", "gw1.edgefn.local/dev1" + API, null, List.of(cert)), 5).reason())
                .contains("registered for SAS keys");
    }
}
