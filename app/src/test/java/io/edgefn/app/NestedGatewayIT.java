package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.app.gateway.Gateway;
import io.edgefn.deploy.Deployment;
import io.edgefn.hub.RefusalReason;
import io.edgefn.hub.identity.DeviceRegistry;
import io.edgefn.hub.identity.Identity;
import io.edgefn.runtime.MessageOrigin;
import io.edgefn.runtime.UpstreamRecords;
import io.edgefn.upstream.UpstreamConfig;
import io.edgefn.upstream.UpstreamLink;
import io.edgefn.upstream.UpstreamTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The upstream link's IoT Hub mode end to end, against the one IoT Hub-protocol server we can run
 * here: a parent gateway's edge hub. Child gateway B connects upstream with the IoT Hub device
 * connection string {@code HostName=localhost;DeviceId=gw-b;SharedAccessKey=…} that parent A
 * registered, trusting A's CA; what B routes to {@code $upstream} arrives in A's {@code $upstream}
 * as device {@code gw-b}'s telemetry, each message naming its sender in the origin properties. This
 * proves the link's SAS signing, TLS trust, username and topic against a real server; the real
 * IoT Hub service is not tested.
 *
 * <p>IoT Hub mode always connects to port 8883, so A's hub binds it: besides AzureDeviceSdkIT the
 * only test that does, and test classes of a module run one at a time.
 */
class NestedGatewayIT {

    private static final String ALL_UP = """
            {"routes": {"up": "FROM /messages/* INTO $upstream"}}""";

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> linkLog = new ListAppender<>();

    @AfterEach
    void detachLog() {
        ((Logger) LoggerFactory.getLogger(UpstreamLink.class)).detachAppender(linkLog);
    }

    @Test
    void aChildGatewayInIotHubMode_sendsItsUpstreamIntoTheParentsHub_asItsOwnDevice_withEachSenderNamed()
            throws Exception {
        linkLog.start();
        ((Logger) LoggerFactory.getLogger(UpstreamLink.class)).addAppender(linkLog);
        Path dataA = dir.resolve("a");
        Path dataB = dir.resolve("b");
        Identity gwB = DeviceRegistry.open(dataA).add("gw-b", null, null);

        try (Gateway a = Gateway.builder().deployment(deployment(ALL_UP, "a")).dataDirectory(dataA).gatewayId("gw-a")
                .hostname("localhost").mqttPort(UpstreamConfig.IOT_HUB_PORT).httpPort(-1).build().start()) {
            Path auth = Files.writeString(dir.resolve("b-upstream.auth"),
                    "# trust the parent gateway's CA\nca=" + a.certificates().caCertificateFile() + "\n");
            Files.setPosixFilePermissions(auth, PosixFilePermissions.fromString("rw-------"));
            UpstreamConfig upstream = UpstreamConfig.parse(
                    "HostName=localhost;DeviceId=gw-b;SharedAccessKey=" + gwB.primaryKey(), "@" + auth, Map.of());
            assertThat(upstream.mode()).isEqualTo(UpstreamConfig.Mode.IOT_HUB);

            try (Gateway b = Gateway.builder().deployment(deployment(ALL_UP, "b")).dataDirectory(dataB).gatewayId("gw-b")
                    .mqttPort(0).httpPort(-1).upstream(upstream).build().start()) {
                b.host().submit(message("from-leaf", "reading".getBytes(StandardCharsets.UTF_8)),
                        MessageOrigin.localDevice("leaf-7")).join();
                b.host().submit(message("from-function", "average".getBytes(StandardCharsets.UTF_8)),
                        MessageOrigin.function("gw-b", "averager")).join();
                byte[] oversized = new byte[300 * 1024];
                Arrays.fill(oversized, (byte) 'x');
                b.host().submit(message("too-big", oversized), MessageOrigin.function("gw-b", "camera")).join();
                b.host().submit(message("after-too-big", "still flows".getBytes(StandardCharsets.UTF_8)),
                        MessageOrigin.localDevice("leaf-7")).join();

                await().atMost(Duration.ofSeconds(15)).until(() -> arrivedAt(a).containsKey("after-too-big"));
                Map<String, Message> arrived = arrivedAt(a);
                assertThat(arrived).containsOnlyKeys("from-leaf", "from-function", "after-too-big");
                assertThat(arrived.values()).allSatisfy(m -> {
                    assertThat(m.systemProperty(SystemProperties.CONNECTION_DEVICE_ID)).isEqualTo("gw-b");
                    assertThat(m.systemProperty(SystemProperties.CONNECTION_MODULE_ID)).isNull();
                    assertThat(m.systemProperty(SystemProperties.CONNECTION_AUTH_METHOD)).contains("\"type\":\"sas\"");
                });
                Message leaf = arrived.get("from-leaf");
                assertThat(leaf.bodyAsString()).isEqualTo("reading");
                assertThat(leaf.property(UpstreamTopics.ORIGIN_DEVICE)).isEqualTo("leaf-7");
                assertThat(leaf.property(UpstreamTopics.ORIGIN_MODULE)).isNull();
                Message function = arrived.get("from-function");
                assertThat(function.bodyAsString()).isEqualTo("average");
                assertThat(function.property(UpstreamTopics.ORIGIN_DEVICE)).isEqualTo("gw-b");
                assertThat(function.property(UpstreamTopics.ORIGIN_MODULE)).isEqualTo("averager");
                assertThat(arrived.get("after-too-big").bodyAsString()).isEqualTo("still flows");

                // The oversized one was dropped by the link, not sent: A's hub never had to refuse it.
                await().atMost(Duration.ofSeconds(5)).until(() -> b.upstream().stats().sent() == 3);
                assertThat(b.upstream().stats().undeliverable()).isEqualTo(1);
                assertThat(b.upstream().stats().connects()).as("one connection: nothing made the link reconnect").isEqualTo(1);
                assertThat(b.host().buffer().cursor(UpstreamRecords.CURSOR).depth()).isZero();
                assertThat(a.hub().stats().refused(RefusalReason.PAYLOAD_TOO_LARGE)).isZero();
                assertThat(a.hub().stats().refused(RefusalReason.NOT_AUTHORIZED)).isZero();
                List<String> errors = List.copyOf(linkLog.list).stream().filter(e -> e.getLevel() == Level.ERROR)
                        .map(ILoggingEvent::getFormattedMessage).toList();
                assertThat(errors).singleElement().asString()
                        .contains("too-big").contains(oversized.length + " bytes").contains("262143 bytes");

                // Device management in IoT Hub mode, on the gateway's own connection: B's health goes up as its
                // reported properties (A keeps them as gw-b's twin), and a desired patch A sends comes down.
                io.edgefn.hub.twin.TwinId childTwin = io.edgefn.hub.twin.TwinId.device("gw-b");
                await().atMost(Duration.ofSeconds(30)).until(() -> a.management().twin(childTwin).reported().has("functions"));
                assertThat(a.management().twin(childTwin).reported().has("buffer")).isTrue();
                assertThat(a.management().twin(childTwin).reported().path("schemaVersion").asText()).isEqualTo("1.0");
                a.management().applyDesired(childTwin, "{\"logLevel\": \"debug\"}".getBytes(StandardCharsets.UTF_8), 1)
                        .get(10, java.util.concurrent.TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(30)).until(() -> "debug".equals(
                        b.management().twin(childTwin).desired().path("logLevel").asText()));
            }
        }
    }

    @Test
    void aChildGatewayInIotHubMode_withAnX509Certificate_logsInByThumbprint_overTls() throws Exception {
        Path dataA = dir.resolve("a");
        Path dataC = dir.resolve("c");
        // The child's certificate, self-signed as a device maker would make it, registered by thumbprint.
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair keys = generator.generateKeyPair();
        org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=gw-c");
        java.security.cert.X509Certificate certificate = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                .getCertificate(new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.TEN,
                        java.util.Date.from(java.time.Instant.now().minus(Duration.ofHours(1))),
                        java.util.Date.from(java.time.Instant.now().plus(Duration.ofDays(1))), name, keys.getPublic())
                        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        DeviceRegistry.open(dataA).add("gw-c", null, java.util.HexFormat.of().withUpperCase().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded())));
        Path pem = dir.resolve("gw-c.pem");
        Path key = dir.resolve("gw-c.key");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        try (Gateway a = Gateway.builder().deployment(deployment(ALL_UP, "a")).dataDirectory(dataA).gatewayId("gw-a")
                .hostname("localhost").mqttPort(UpstreamConfig.IOT_HUB_PORT).httpPort(-1).build().start()) {
            Path auth = Files.writeString(dir.resolve("c-upstream.auth"), "certificate=" + pem + "\nprivateKey=" + key
                    + "\nca=" + a.certificates().caCertificateFile() + "\n");
            Files.setPosixFilePermissions(auth, PosixFilePermissions.fromString("rw-------"));
            UpstreamConfig upstream = UpstreamConfig.parse("HostName=localhost;DeviceId=gw-c;x509=true", "@" + auth, Map.of());

            try (Gateway c = Gateway.builder().deployment(deployment(ALL_UP, "c")).dataDirectory(dataC).gatewayId("gw-c")
                    .mqttPort(0).httpPort(-1).upstream(upstream).build().start()) {
                c.host().submit(message("by-certificate", "reading".getBytes(StandardCharsets.UTF_8)),
                        MessageOrigin.localDevice("leaf-9")).join();
                await().atMost(Duration.ofSeconds(15)).until(() -> arrivedAt(a).containsKey("by-certificate"));
                Message arrived = arrivedAt(a).get("by-certificate");
                assertThat(arrived.systemProperty(SystemProperties.CONNECTION_DEVICE_ID)).isEqualTo("gw-c");
                assertThat(arrived.systemProperty(SystemProperties.CONNECTION_AUTH_METHOD)).contains("x509");
                assertThat(arrived.property(UpstreamTopics.ORIGIN_DEVICE)).isEqualTo("leaf-9");
            }
        }
    }

    private Deployment deployment(String json, String name) {
        return Deployment.parse(json.getBytes(StandardCharsets.UTF_8), "gateway " + name + " deployment", dir);
    }

    private static Message message(String id, byte[] body) {
        return Message.builder().body(body).systemProperty(SystemProperties.MESSAGE_ID, id).build();
    }

    /** What A's {@code $upstream} holds, by message id. */
    private static Map<String, Message> arrivedAt(Gateway a) {
        return a.host().buffer().peek(UpstreamRecords.CURSOR, 1000).stream()
                .map(r -> UpstreamRecords.decode(r.payload()))
                .collect(Collectors.toMap(m -> m.systemProperty(SystemProperties.MESSAGE_ID), Function.identity(),
                        (x, y) -> x));
    }
}
