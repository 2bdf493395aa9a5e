package io.edgefn.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MosquittoBrokerTest {

    @TempDir
    Path dir;

    @Test
    void start_clientConnectsPublishesAndReceives() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir)) {
            assertThat(broker.url()).isEqualTo("tcp://127.0.0.1:" + broker.port());
            assertThat(roundTrip(broker.url(), null, null)).isEqualTo("hello");
        }
    }

    @Test
    void restart_keepsThePort() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir)) {
            int port = broker.port();
            long pid = broker.pid();
            broker.restart();
            assertThat(broker.port()).isEqualTo(port);
            assertThat(broker.pid()).isNotEqualTo(pid);
            assertThat(roundTrip(broker.url(), null, null)).isEqualTo("hello");
        }
    }

    @Test
    void stop_thenConnectFails_andRestartAfterKillServesAgain() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(dir)) {
            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            assertThatThrownBy(() -> roundTrip(broker.url(), null, null)).isInstanceOf(MqttException.class);

            broker.restart();
            broker.kill();
            assertThatThrownBy(() -> roundTrip(broker.url(), null, null)).isInstanceOf(MqttException.class);
            broker.restart();
            assertThat(roundTrip(broker.url(), null, null)).isEqualTo("hello");
        }
    }

    @Test
    void passwordUser_refusesAnonymousAndAcceptsTheUser() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.builder().passwordUser("gw", "s3cret").start(dir)) {
            assertThatThrownBy(() -> roundTrip(broker.url(), null, null)).isInstanceOf(MqttException.class);
            assertThatThrownBy(() -> roundTrip(broker.url(), "gw", "wrong")).isInstanceOf(MqttException.class);
            assertThat(roundTrip(broker.url(), "gw", "s3cret")).isEqualTo("hello");
        }
    }

    private static String roundTrip(String url, String user, String password) throws Exception {
        MqttClient client = new MqttClient(url, "probe-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setConnectionTimeout(5);
        if (user != null) {
            options.setUserName(user);
            options.setPassword(password.toCharArray());
        }
        try {
            client.connect(options);
            BlockingQueue<String> received = new ArrayBlockingQueue<>(1);
            client.subscribe("probe/#", 1, (topic, message) ->
                    received.offer(new String(message.getPayload(), StandardCharsets.UTF_8)));
            client.publish("probe/x", "hello".getBytes(StandardCharsets.UTF_8), 1, false);
            return received.poll(10, TimeUnit.SECONDS);
        } finally {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }
}
