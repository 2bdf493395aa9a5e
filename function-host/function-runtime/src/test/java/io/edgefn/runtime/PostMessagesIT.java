package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.api.Message;
import io.edgefn.api.SystemProperties;
import io.edgefn.deploy.Deployment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /messages} into a started host: the message walks the same routes as a device's,
 * stamped with the device as its connection and the management API as how it came, and is on
 * disk for {@code $upstream} when the answer comes; the token is the data directory's.
 */
class PostMessagesIT {

    @TempDir
    Path dir;

    @Test
    void postedMessage_isRoutedAsTheDevices_andHeldForUpstreamWhenAnswered() throws Exception {
        Deployment deployment = Deployment.parse("""
                {"routes": {"hot": "FROM /messages WHERE as_number($body.temperature) > 50 INTO $upstream"}}"""
                .getBytes(StandardCharsets.UTF_8), "hot", dir);
        Path data = dir.resolve("data");
        try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(data).httpPort(0).build().start();
             HttpClient client = HttpClient.newHttpClient()) {
            String token = Files.readString(data.resolve(DataDirectory.MANAGEMENT_TOKEN_FILE)).trim();
            HttpResponse<String> hot = post(client, host.httpPort(), token, "{\\\"temperature\\\": 99}");
            HttpResponse<String> cold = post(client, host.httpPort(), token, "{\\\"temperature\\\": 10}");

            assertThat(hot.statusCode()).as(hot.body()).isEqualTo(202);
            assertThat(cold.statusCode()).as(cold.body()).isEqualTo(202);
            // Answered once taken: the hot reading is on disk already, no waiting.
            List<Message> held = host.buffer().peek(UpstreamRecords.CURSOR, 10).stream()
                    .map(r -> UpstreamRecords.decode(r.payload())).toList();
            assertThat(held).hasSize(1);
            Message m = held.getFirst();
            assertThat(hot.body()).contains(m.systemProperty(SystemProperties.MESSAGE_ID));
            assertThat(m.bodyAsString()).isEqualTo("{\"temperature\": 99}");
            assertThat(m.systemProperty(SystemProperties.CONNECTION_DEVICE_ID)).isEqualTo("sensor-1");
            assertThat(m.systemProperty(SystemProperties.CONNECTION_MODULE_ID)).isNull();
            assertThat(m.systemProperty(SystemProperties.CONNECTION_AUTH_METHOD))
                    .isEqualTo("{\"scope\":\"device\",\"type\":\"managementApi\",\"issuer\":\"edgefn\"}");
            assertThat(m.systemProperty(SystemProperties.ENQUEUED_TIME)).isNotNull();
            assertThat(host.stats().messagesByRoute()).containsEntry("hot", 1L);
            assertThat(host.stats().unrouted()).isEqualTo(1);

            HttpResponse<String> stranger = post(client, host.httpPort(), "not-" + token, "{}");
            assertThat(stranger.statusCode()).isEqualTo(401);
        }
    }

    private static HttpResponse<String> post(HttpClient client, int port, String token, String escapedBody) throws Exception {
        String json = "{\"deviceId\": \"sensor-1\", \"body\": \"" + escapedBody
                + "\", \"contentType\": \"application/json\", \"contentEncoding\": \"utf-8\"}";
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/messages"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
