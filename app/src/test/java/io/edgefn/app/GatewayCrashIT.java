package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.app.cli.EdgefnCommand;
import io.edgefn.app.gateway.Gateway;
import io.edgefn.deploy.Deployment;
import io.edgefn.upstream.UpstreamConfig;
import io.edgefn.hub.identity.ConnectionString;
import io.edgefn.hub.identity.SasToken;
import io.edgefn.testing.MosquittoBroker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery contract end to end, with real processes: leaf devices publish QoS 1 telemetry to
 * {@code edgefn run}'s edge hub while the cloud broker (a real Mosquitto) is down; the gateway is
 * SIGKILLed midway and started again on the same data directory; then the broker comes back. The
 * cloud must receive every message the gateway acknowledged, by message id; duplicates are allowed
 * (at least once) and reported.
 *
 * <p>Sizes: {@code edgefn.hub.crashMessages} (default 2,000) and {@code edgefn.hub.crashKills}
 * (default 2); the {@code soak} profile raises them to 20,000 and 10.
 */
class GatewayCrashIT {

    private static final int MESSAGES = Integer.getInteger("edgefn.hub.crashMessages", 2_000);
    private static final int KILLS = Integer.getInteger("edgefn.hub.crashKills", 2);
    private static final String GATEWAY = "crashgw";
    /** QoS 1 publishes in flight per device. */
    private static final int WINDOW = 16;

    @TempDir
    Path dir;

    private Process gateway;
    private final List<MqttAsyncClient> clients = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (MqttAsyncClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnectForcibly(100, 100);
                }
                c.close(true);
            } catch (MqttException | RuntimeException ignored) {
                // already closed by the test
            }
        }
        if (gateway != null) {
            gateway.destroyForcibly();
        }
    }

    @Test
    void everyAcknowledgedMessage_reachesTheCloud_acrossSigkillsOfTheGateway_whileTheCloudIsDown() throws Exception {
        Path data = dir.resolve("data");
        Path deployment = dir.resolve("deployment.json");
        Files.writeString(deployment, "{\"routes\": {\"up\": \"FROM /messages/* INTO $upstream\"}}");
        List<Map<String, String>> devices = new ArrayList<>();
        for (String id : List.of("pump-1", "pump-2")) {
            devices.add(ConnectionString.parse(addDevice(data, id)));
        }

        try (MosquittoBroker cloud = MosquittoBroker.builder().persistence(true).start(dir.resolve("cloud"))) {
            // The cloud application's session outlives the outage: the broker keeps it on disk.
            CloudApp app = CloudApp.subscribe(cloud.url());
            app.disconnect();
            cloud.stop();

            int port = startGateway(data, deployment, cloud.port());
            Set<String> acked = ConcurrentHashMap.newKeySet();
            List<Integer> toSend = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                toSend.add(i);
            }
            for (int kill = 1; !toSend.isEmpty(); kill++) {
                // Kill midway through the next share of the messages, with publishes in flight.
                int killAfter = kill <= KILLS ? Math.max(1, MESSAGES / (KILLS + 1)) : Integer.MAX_VALUE;
                toSend = publish(devices, port, toSend, killAfter, acked);
                if (kill <= KILLS) {
                    assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    port = startGateway(data, deployment, cloud.port());
                }
            }
            assertThat(acked).hasSize(MESSAGES);

            cloud.restart();
            app.reconnect();
            await().atMost(Duration.ofSeconds(120)).until(() -> app.ids.containsAll(acked));
            System.out.printf("GatewayCrashIT: %d acknowledged, %d received, %d duplicate(s) across %d SIGKILL(s)%n",
                    acked.size(), app.received.get(), app.received.get() - app.ids.size(), KILLS);
            assertThat(app.ids).containsAll(acked);
        }
    }

    @Test
    void everyAcknowledgedMessage_reachesTheCloud_whileTheCloudBrokerFlaps() throws Exception {
        Path data = dir.resolve("data");
        Map<String, String> device = ConnectionString.parse(addDevice(data, "pump-1"));
        Deployment deployment = Deployment.parse("{\"routes\": {\"up\": \"FROM /messages/* INTO $upstream\"}}"
                .getBytes(StandardCharsets.UTF_8), "flapping", dir);
        try (MosquittoBroker cloud = MosquittoBroker.builder().persistence(true).start(dir.resolve("cloud"));
             Gateway gateway = Gateway.builder().deployment(deployment).dataDirectory(data).gatewayId(GATEWAY)
                     .hostname("localhost").mqttPort(-1).mqttPlainPort(0)
                     .upstream(UpstreamConfig.parse(cloud.url().replace("tcp://", "mqtt://"), null, Map.of())).build().start()) {
            CloudApp app = CloudApp.subscribe(cloud.url());
            int messages = Math.max(1_000, MESSAGES / 2);
            int restarts = KILLS + 1;
            Set<String> acked = ConcurrentHashMap.newKeySet();
            MqttAsyncClient client = connect(device, gateway.mqttPlainPort());
            java.util.ArrayDeque<Object[]> pending = new java.util.ArrayDeque<>();
            List<Integer> unacked = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                if (i > 0 && i % (messages / (restarts + 1)) == 0 && restarts-- > 0) {
                    cloud.restart(); // the stream to the gateway goes on; the link reconnects behind it
                }
                MqttMessage m = new MqttMessage(("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8));
                m.setQos(1);
                pending.add(new Object[] {i, client.publish("devices/pump-1/messages/events/%24.mid=m-" + i, m)});
                while (pending.size() >= WINDOW) {
                    settle(pending.poll(), acked, unacked);
                }
            }
            while (!pending.isEmpty()) {
                settle(pending.poll(), acked, unacked);
            }
            assertThat(unacked).as("the gateway acknowledged every message while the cloud flapped").isEmpty();
            app.reconnectIfLost();
            await().atMost(Duration.ofSeconds(120)).until(() -> app.ids.containsAll(acked));
            System.out.printf("GatewayCrashIT: %d acknowledged, %d received, %d duplicate(s) across %d broker restart(s); "
                    + "link reconnects %d%n", acked.size(), app.received.get(), app.received.get() - app.ids.size(), KILLS + 1,
                    gateway.upstream().stats().reconnects());
        }
    }

    private String addDevice(Path data, String id) throws Exception {
        return GatewayCli.addIdentity(data, GATEWAY, id);
    }

    /** Starts {@code edgefn run}; returns its plain MQTT port. */
    private int startGateway(Path data, Path deployment, int cloudPort) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        gateway = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), EdgefnCommand.class.getName(), "run",
                "--deployment", deployment.toString(), "--data-dir", data.toString(), "--gateway-id", GATEWAY,
                "--hostname", "localhost", "--mqtt-port", "0", "--mqtt-plain-port", "0", "--http-port", "-1",
                "--upstream", "mqtt://127.0.0.1:" + cloudPort))
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("gateway.log").toFile()))
                .start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
        String line = stdout.readLine();
        assertThat(line).as("the gateway's log: %s", Files.readString(dir.resolve("gateway.log"))).isNotNull();
        JsonNode ready = new ObjectMapper().readTree(line);
        return ready.path("mqttPlainPort").asInt();
    }

    /**
     * Publishes the messages numbered in {@code toSend}, alternating devices, QoS 1, up to
     * {@value #WINDOW} in flight per device; a message counts as acknowledged when its PUBACK came.
     * After {@code killAfter} publishes the gateway is SIGKILLed with publishes in flight; what was
     * not acknowledged is returned, for the devices to resend with the same ids after the restart,
     * as a device would.
     */
    private List<Integer> publish(List<Map<String, String>> devices, int port, List<Integer> toSend, int killAfter,
                                  Set<String> acked) throws Exception {
        List<MqttAsyncClient> connected = new ArrayList<>();
        for (Map<String, String> d : devices) {
            connected.add(connect(d, port));
        }
        java.util.ArrayDeque<Object[]> pending = new java.util.ArrayDeque<>();
        List<Integer> unacked = new ArrayList<>();
        int sent = 0;
        for (int i : toSend) {
            if (sent == killAfter) {
                gateway.destroyForcibly(); // SIGKILL: no drain, no clean close of the buffer
                unacked.add(i);
                continue;
            }
            if (sent > killAfter) {
                unacked.add(i);
                continue;
            }
            MqttAsyncClient client = connected.get(i % connected.size());
            String device = devices.get(i % devices.size()).get("DeviceId");
            MqttMessage m = new MqttMessage(("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            try {
                pending.add(new Object[] {i, client.publish("devices/" + device + "/messages/events/%24.mid=m-" + i + "&seq=" + i, m)});
            } catch (MqttException e) {
                unacked.add(i);
            }
            sent++;
            while (pending.size() >= WINDOW * connected.size()) {
                settle(pending.poll(), acked, unacked);
            }
        }
        while (!pending.isEmpty()) {
            settle(pending.poll(), acked, unacked);
        }
        for (MqttAsyncClient c : connected) {
            try {
                if (c.isConnected()) {
                    c.disconnectForcibly(100, 100);
                }
            } catch (MqttException ignored) {
                // the gateway was killed
            }
            c.close(true);
            clients.remove(c);
        }
        return unacked;
    }

    private static void settle(Object[] publish, Set<String> acked, List<Integer> unacked) {
        int i = (Integer) publish[0];
        try {
            ((IMqttDeliveryToken) publish[1]).waitForCompletion(30_000);
            if (((IMqttDeliveryToken) publish[1]).isComplete() && ((IMqttDeliveryToken) publish[1]).getException() == null) {
                acked.add("m-" + i);
                return;
            }
        } catch (MqttException e) {
            // not acknowledged: resent after the restart
        }
        unacked.add(i);
    }

    private MqttAsyncClient connect(Map<String, String> device, int port) throws MqttException {
        String id = device.get("DeviceId");
        String hub = device.get("HostName");
        MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setUserName(hub + "/" + id + "/?api-version=2021-04-12");
        options.setPassword(SasToken.create(hub + "/devices/" + id, Base64.getDecoder().decode(device.get("SharedAccessKey")),
                Instant.now().plus(Duration.ofHours(1)), null).toCharArray());
        // The test bounds what is in flight (WINDOW per device); Paho frees its own slots a little after a
        // token completes, so its limit is set well above ours.
        options.setMaxInflight(1_000);
        client.connect(options).waitForCompletion(30_000);
        clients.add(client);
        return client;
    }

    /** The cloud application: a persistent QoS 1 subscription to every device's telemetry. */
    private static final class CloudApp implements MqttCallback {
        final Set<String> ids = ConcurrentHashMap.newKeySet();
        final AtomicLong received = new AtomicLong();
        private final MqttClient client;

        private CloudApp(MqttClient client) {
            this.client = client;
        }

        static CloudApp subscribe(String url) throws MqttException {
            CloudApp app = new CloudApp(new MqttClient(url, "cloud-app", new MemoryPersistence()));
            app.client.setCallback(app);
            app.client.connect(options());
            app.client.subscribe("devices/#", 1);
            return app;
        }

        private static MqttConnectOptions options() {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(false);
            options.setMaxInflight(1000);
            return options;
        }

        void disconnect() throws MqttException {
            client.disconnect(5_000);
        }

        void reconnect() throws MqttException {
            client.connect(options());
        }

        /** Connects again, to the same persistent session, when a broker restart dropped the connection. */
        void reconnectIfLost() throws MqttException {
            if (!client.isConnected()) {
                reconnect();
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.incrementAndGet();
            int at = topic.indexOf("%24.mid=");
            if (at >= 0) {
                int end = topic.indexOf('&', at);
                ids.add(topic.substring(at + 8, end < 0 ? topic.length() : end));
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }
}
