package io.edgefn.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.deploy.Deployment;
import io.edgefn.hub.identity.Authenticator;
import io.edgefn.hub.identity.DeviceRegistry;
import io.edgefn.hub.identity.GatewayCertificates;
import io.edgefn.hub.identity.GatewayIdentity;
import io.edgefn.runtime.EdgeHost;
import io.edgefn.runtime.UpstreamRecords;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Devices connect over TLS with an X.509 client certificate and no password, as IoT Hub's X.509
 * devices do: a self-signed certificate registered by its thumbprint, a certificate issued by a CA
 * registered by the CA's thumbprint; an unregistered certificate is refused with CONNACK 5.
 */
class X509IT {

    private static final String API = "/?api-version=2021-04-12";
    private static final String DEVICE_X509 = "{\"scope\":\"device\",\"type\":\"x509Certificate\",\"issuer\":\"iothub\"}";

    @TempDir
    Path dir;

    private final InstantSource clock = InstantSource.system();
    private Vertx vertx;
    private EdgeHost host;
    private EdgeHub hub;
    private GatewayIdentity gateway;
    private GatewayCertificates gatewayCerts;
    private DeviceRegistry registry;

    @BeforeEach
    void startGateway() {
        Path data = dir.resolve("identity");
        gateway = GatewayIdentity.loadOrCreate(data, "gw", "localhost");
        gatewayCerts = GatewayCertificates.loadOrCreate(data, gateway, clock);
        registry = DeviceRegistry.open(data, clock, new Random(11));
        vertx = Vertx.vertx();
        Deployment deployment = Deployment.parse(TelemetryIT.UPSTREAM.getBytes(StandardCharsets.UTF_8), "x509 test", dir);
        host = EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("host")).gatewayId("gw")
                .vertx(vertx).build().start();
        hub = EdgeHub.start(vertx, HubOptions.builder().gatewayId("gw").host("127.0.0.1").tlsPort(0)
                        .serverCertificate(gatewayCerts.serverCertificateFile(), gatewayCerts.serverKeyFile()).build(),
                host, host::moduleInboxes, ClientAuthenticator.of(new Authenticator(gateway, registry, clock)), clock);
    }

    @AfterEach
    void stopGateway() {
        if (hub != null) {
            hub.close();
        }
        if (host != null) {
            host.close();
        }
        vertx.close().await();
    }

    @Test
    void aSelfSignedCertificateRegisteredByThumbprint_connectsWithoutPassword_andAnotherIsRefused() throws Exception {
        Issued cam = selfSigned("cam-1");
        registry.add("cam-1", null, sha256(cam.certificate()));

        MqttAsyncClient device = connect("cam-1", cam);
        device.publish("devices/cam-1/messages/events/%24.mid=frame-1", "frame".getBytes(StandardCharsets.UTF_8), 1, false)
                .waitForCompletion(10_000);
        device.disconnect().waitForCompletion(10_000);
        device.close();

        List<Message> up = upstream();
        assertThat(up).hasSize(1);
        assertThat(up.get(0).systemProperty(SystemProperties.MESSAGE_ID)).isEqualTo("frame-1");
        assertThat(up.get(0).systemProperty(SystemProperties.CONNECTION_DEVICE_ID)).isEqualTo("cam-1");
        assertThat(up.get(0).systemProperty(SystemProperties.CONNECTION_AUTH_METHOD)).isEqualTo(DEVICE_X509)
                .contains("x509");

        Issued impostor = selfSigned("cam-1");
        assertThatThrownBy(() -> connect("cam-1", impostor)).isInstanceOfSatisfying(MqttException.class,
                e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
        assertThat(hub.stats().refused(RefusalReason.NOT_AUTHORIZED)).isEqualTo(1);
        assertThat(upstream()).hasSize(1);
    }

    @Test
    void aCertificateIssuedByARegisteredCa_connectsAsTheDeviceItNames_butNotAsAnother() throws Exception {
        Issued ca = certificateAuthority();
        Issued cam = issued("cam-2", ca);
        registry.add("cam-2", null, sha256(ca.certificate()));
        registry.add("cam-3", null, sha256(ca.certificate()));

        MqttAsyncClient device = connect("cam-2", cam, ca.certificate());
        device.publish("devices/cam-2/messages/events/%24.mid=frame-2", "frame".getBytes(StandardCharsets.UTF_8), 1, false)
                .waitForCompletion(10_000);
        device.disconnect().waitForCompletion(10_000);
        device.close();

        List<Message> up = upstream();
        assertThat(up).hasSize(1);
        assertThat(up.get(0).systemProperty(SystemProperties.CONNECTION_DEVICE_ID)).isEqualTo("cam-2");
        assertThat(up.get(0).systemProperty(SystemProperties.CONNECTION_AUTH_METHOD)).isEqualTo(DEVICE_X509);

        // The CA signed cam-2's certificate: it does not make its holder cam-3.
        assertThatThrownBy(() -> connect("cam-3", cam, ca.certificate())).isInstanceOfSatisfying(MqttException.class,
                e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
        assertThat(hub.stats().refused(RefusalReason.NOT_AUTHORIZED)).isEqualTo(1);
    }

    private MqttAsyncClient connect(String deviceId, Issued leaf, X509Certificate... above) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient("ssl://localhost:" + hub.tlsPort(), deviceId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setUserName(gateway.hubHostName() + "/" + deviceId + API); // and no password: the certificate is the credential
        o.setSocketFactory(tls(leaf, above).getSocketFactory());
        try {
            client.connect(o).waitForCompletion(10_000);
        } catch (MqttException e) {
            client.close();
            throw e;
        }
        return client;
    }

    /** A TLS context presenting {@code leaf} (and the chain above it) and trusting the gateway's CA only. */
    private SSLContext tls(Issued leaf, X509Certificate... above) throws Exception {
        Certificate[] chain = new Certificate[1 + above.length];
        chain[0] = leaf.certificate();
        System.arraycopy(above, 0, chain, 1, above.length);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("device", leaf.key(), new char[0], chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("gateway-ca", gatewayCerts.caCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private List<Message> upstream() {
        return host.buffer().peek(UpstreamRecords.CURSOR, 100).stream().map(r -> UpstreamRecords.decode(r.payload())).toList();
    }

    // ---- certificates, made the way a device maker would: P-256 keys, ECDSA with SHA-256

    private record Issued(X509Certificate certificate, PrivateKey key) {
    }

    private static Issued selfSigned(String cn) throws Exception {
        KeyPair keys = p256();
        X500Name name = new X500Name("CN=" + cn);
        return new Issued(sign(new JcaX509v3CertificateBuilder(name, serial(), from(), until(), name, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false)), keys.getPrivate()), keys.getPrivate());
    }

    private static Issued certificateAuthority() throws Exception {
        KeyPair keys = p256();
        X500Name name = new X500Name("CN=camera maker CA");
        return new Issued(sign(new JcaX509v3CertificateBuilder(name, serial(), from(), until(), name, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature)),
                keys.getPrivate()), keys.getPrivate());
    }

    private static Issued issued(String cn, Issued ca) throws Exception {
        KeyPair keys = p256();
        X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        return new Issued(sign(new JcaX509v3CertificateBuilder(issuer, serial(), from(), until(), new X500Name("CN=" + cn),
                keys.getPublic()).addExtension(Extension.basicConstraints, true, new BasicConstraints(false)), ca.key()),
                keys.getPrivate());
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(System.nanoTime()).abs().add(BigInteger.ONE);
    }

    private static Date from() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date until() {
        return Date.from(Instant.now().plus(Duration.ofDays(30)));
    }

    private static String sha256(X509Certificate certificate) throws Exception {
        return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }
}
