package io.edgefn.hub.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.testing.ManualClock;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayCertificatesTest {
    @TempDir
    Path dataDir;

    private final ManualClock clock = new ManualClock();
    private final GatewayIdentity identity = new GatewayIdentity("gw1", "gateway.lan", "gw1.edgefn.local");

    @Test
    void loadOrCreate_makesACaAndAServerCertificateSignedByIt() throws Exception {
        GatewayCertificates certs = GatewayCertificates.loadOrCreate(dataDir, identity, clock);
        X509Certificate ca = certs.caCertificate();
        X509Certificate server = certs.serverCertificate();

        assertThat(ca.getBasicConstraints()).as("CA:true").isGreaterThanOrEqualTo(0);
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(Duration.between(clock.instant(), ca.getNotAfter().toInstant()).toDays()).isEqualTo(3650);
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(server.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "gateway.lan"), List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(Duration.between(clock.instant(), server.getNotAfter().toInstant()).toDays()).isEqualTo(365);

        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        params.setDate(java.util.Date.from(clock.instant()));
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(server)), params);
        assertThat(certs.changes()).hasSize(2);
    }

    @Test
    void loadOrCreate_writesPemFilesWithOwnerOnlyKeys() throws Exception {
        GatewayCertificates certs = GatewayCertificates.loadOrCreate(dataDir, identity, clock);
        Path dir = dataDir.resolve("identity/certs");

        for (String key : List.of("ca.key", "server.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key)))).isEqualTo("rw-------");
            assertThat(Files.readString(dir.resolve(key))).startsWith("-----BEGIN PRIVATE KEY-----");
        }
        assertThat(certs.serverKeyFile()).isEqualTo(dir.resolve("server.key"));
        assertThat(certs.caCertificateFile()).isEqualTo(dir.resolve("ca.pem"));
        assertThat(Files.readString(certs.caCertificateFile())).isEqualTo(certs.caPem());
        assertThat(Pem.certificates(Files.readString(certs.serverCertificateFile()), certs.serverCertificateFile()))
                .containsExactly(certs.serverCertificate(), certs.caCertificate());
    }

    @Test
    void loadOrCreate_again_reusesBoth() {
        GatewayCertificates first = GatewayCertificates.loadOrCreate(dataDir, identity, clock);
        clock.advance(Duration.ofDays(300));
        GatewayCertificates second = GatewayCertificates.loadOrCreate(dataDir, identity, clock);

        assertThat(second.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(second.serverCertificate()).isEqualTo(first.serverCertificate());
        assertThat(second.changes()).isEmpty();
    }

    @Test
    void loadOrCreate_hostnameChanged_reissuesTheServerCertificateUnderTheSameCa() throws Exception {
        GatewayCertificates first = GatewayCertificates.loadOrCreate(dataDir, identity, clock);
        GatewayCertificates second = GatewayCertificates.loadOrCreate(dataDir,
                new GatewayIdentity("gw1", "192.168.7.2", "gw1.edgefn.local"), clock);

        assertThat(second.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(second.serverCertificate()).isNotEqualTo(first.serverCertificate());
        assertThat(second.serverCertificate().getSubjectAlternativeNames()).contains(List.of(7, "192.168.7.2"));
        second.serverCertificate().verify(first.caCertificate().getPublicKey());
        assertThat(second.changes()).singleElement().asString().contains("did not name 192.168.7.2");
    }

    @Test
    void loadOrCreate_fewerThan30DaysLeft_reissues() {
        GatewayCertificates first = GatewayCertificates.loadOrCreate(dataDir, identity, clock);
        clock.advance(Duration.ofDays(334)); // 31 days left
        assertThat(GatewayCertificates.loadOrCreate(dataDir, identity, clock).serverCertificate())
                .isEqualTo(first.serverCertificate());

        clock.advance(Duration.ofDays(2)); // 29 days left
        GatewayCertificates renewed = GatewayCertificates.loadOrCreate(dataDir, identity, clock);
        assertThat(renewed.serverCertificate()).isNotEqualTo(first.serverCertificate());
        assertThat(renewed.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(renewed.serverCertificate().getNotAfter().toInstant()).isAfter(clock.instant().plus(Duration.ofDays(364)));
    }

    @Test
    void loadOrCreate_racingOnAFreshDirectory_makesOneCa() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<GatewayCertificates>> racing = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                racing.add(pool.submit(() -> GatewayCertificates.loadOrCreate(dataDir, identity, clock)));
            }
            X509Certificate ca = racing.get(0).get().caCertificate();
            for (var f : racing) {
                assertThat(f.get().caCertificate()).isEqualTo(ca);
            }
            assertThat(racing.stream().mapToInt(f -> {
                try {
                    return f.get().changes().size();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).sum()).as("one CA and one server certificate made in all").isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keyAndCertificateFiles_areReadByVertxPemKeyCertOptions() throws Exception {
        GatewayCertificates certs = GatewayCertificates.loadOrCreate(dataDir, identity, clock);
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            var options = new io.vertx.core.net.PemKeyCertOptions().setKeyPath(certs.serverKeyFile().toString())
                    .setCertPath(certs.serverCertificateFile().toString());
            assertThat(options.getKeyManagerFactory(vertx).getKeyManagers()).isNotEmpty();
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void serverCertificate_tlsHandshakeOnLocalhostWithHostnameVerification_succeeds() throws Exception {
        GatewayCertificates certs = GatewayCertificates.loadOrCreate(dataDir, identity, java.time.InstantSource.system());
        // The server side loads the PEM files, as the MQTT server will.
        PrivateKey key = Pem.ecPrivateKey(Files.readString(certs.serverKeyFile()), certs.serverKeyFile());
        List<X509Certificate> chain = Pem.certificates(Files.readString(certs.serverCertificateFile()), certs.serverCertificateFile());
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("server", key, new char[0], chain.toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, new char[0]);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);

        try (SSLServerSocket server = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept(); InputStream in = s.getInputStream();
                     OutputStream out = s.getOutputStream()) {
                    int b = in.read();
                    out.write(b + 1);
                    out.flush();
                    return b;
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (SSLSocket client = (SSLSocket) certs.clientTrustContext().getSocketFactory()
                    .createSocket("localhost", server.getLocalPort())) {
                SSLParameters params = client.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                client.setSSLParameters(params);
                client.startHandshake();
                client.getOutputStream().write(41);
                client.getOutputStream().flush();
                assertThat(client.getInputStream().read()).isEqualTo(42);
                assertThat(client.getSession().getPeerCertificates()[0]).isEqualTo(certs.serverCertificate());
            }
            assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo(41);
        }
    }
}
