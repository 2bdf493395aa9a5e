package io.edgefn.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.deploy.Deployment;
import io.edgefn.hub.identity.Authenticator;
import io.edgefn.hub.identity.DeviceRegistry;
import io.edgefn.hub.identity.GatewayCertificates;
import io.edgefn.hub.identity.GatewayIdentity;
import io.edgefn.hub.identity.Identity;
import io.edgefn.hub.identity.SasToken;
import io.edgefn.runtime.EdgeHost;
import io.edgefn.runtime.UpstreamRecords;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Devices connect over TLS with the gateway's certificates and SAS tokens of its registry. */
class TlsIT {

    @TempDir
    Path dir;

    @Test
    void deviceWithASasTokenOverTls_publishes_andAWrongTokenIsRefused() throws Exception {
        Path data = dir.resolve("identity");
        InstantSource clock = InstantSource.system();
        GatewayIdentity gateway = GatewayIdentity.loadOrCreate(data, "gw", "localhost");
        GatewayCertificates certs = GatewayCertificates.loadOrCreate(data, gateway, clock);
        DeviceRegistry registry = DeviceRegistry.open(data, clock, new Random(7));
        Identity dev1 = registry.add("dev1", null, null);
        Vertx vertx = Vertx.vertx();
        Deployment deployment = Deployment.parse(TelemetryIT.UPSTREAM.getBytes(StandardCharsets.UTF_8), "tls test", dir);
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("host")).gatewayId("gw")
                .vertx(vertx).build().start();
             EdgeHub hub = EdgeHub.start(vertx, HubOptions.builder().gatewayId("gw").host("127.0.0.1").tlsPort(0)
                             .serverCertificate(certs.serverCertificateFile(), certs.serverKeyFile()).build(),
                     host, host::moduleInboxes, ClientAuthenticator.of(new Authenticator(gateway, registry, clock)), clock)) {
            assertThat(hub.plainPort()).isEqualTo(-1);
            String uri = "ssl://localhost:" + hub.tlsPort();
            String resource = gateway.hubHostName() + "/devices/dev1";
            String token = SasToken.create(resource, Base64.getDecoder().decode(dev1.primaryKey()),
                    clock.instant().plus(Duration.ofHours(1)), null);

            MqttAsyncClient device = new MqttAsyncClient(uri, "dev1", new MemoryPersistence());
            device.connect(tlsOptions(certs, gateway.hubHostName() + "/dev1/?api-version=2021-04-12", token))
                    .waitForCompletion(10_000);
            device.publish("devices/dev1/messages/events/%24.mid=secure", "over tls".getBytes(StandardCharsets.UTF_8), 1, false)
                    .waitForCompletion(10_000);
            device.disconnect().waitForCompletion(10_000);
            device.close();

            List<BufferedRecord> records = host.buffer().peek(UpstreamRecords.CURSOR, 10);
            assertThat(records).hasSize(1);
            Message m = UpstreamRecords.decode(records.get(0).payload());
            assertThat(m.systemProperty(SystemProperties.MESSAGE_ID)).isEqualTo("secure");
            assertThat(m.systemProperty(SystemProperties.CONNECTION_AUTH_METHOD))
                    .isEqualTo("{\"scope\":\"device\",\"type\":\"sas\",\"issuer\":\"iothub\"}");

            MqttAsyncClient forger = new MqttAsyncClient(uri, "dev1", new MemoryPersistence());
            String forged = SasToken.create(resource, new byte[32], clock.instant().plus(Duration.ofHours(1)), null);
            assertThatThrownBy(() -> forger.connect(tlsOptions(certs, gateway.hubHostName() + "/dev1/?api-version=2021-04-12",
                    forged)).waitForCompletion(10_000)).isInstanceOfSatisfying(MqttException.class,
                    e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
            forger.close();
            assertThat(hub.stats().refused(RefusalReason.NOT_AUTHORIZED)).isEqualTo(1);
        } finally {
            vertx.close().await();
        }
    }

    private static MqttConnectOptions tlsOptions(GatewayCertificates certs, String username, String password) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setSocketFactory(certs.clientTrustContext().getSocketFactory());
        o.setUserName(username);
        o.setPassword(password.toCharArray());
        o.setCleanSession(true);
        return o;
    }
}
