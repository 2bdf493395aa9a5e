package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.deploy.Deployment;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host serves its management API on a Vert.x it is given, adds the sections it is given, and leaves that Vert.x running. */
class SharedVertxIT {

    @TempDir
    Path dir;

    @Test
    void statusCarriesTheGivenSections_andClosingTheHostLeavesTheSharedVertxRunning() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Deployment deployment = Deployment.parse("{\"routes\": {\"up\": \"FROM /messages/* INTO $upstream\"}}"
                    .getBytes(StandardCharsets.UTF_8), "routes only", dir);
            try (EdgeHost host = EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("data")).httpPort(0)
                    .vertx(vertx).statusSection("hub", () -> Map.of("clients", 3)).build().start()) {
                HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + host.httpPort() + "/status")).timeout(Duration.ofSeconds(5))
                        .header("Authorization", "Bearer " + java.nio.file.Files.readString(
                                dir.resolve("data").resolve(DataDirectory.MANAGEMENT_TOKEN_FILE)).trim()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(status.body()).contains("\"hub\":{\"clients\":3}").contains("\"upstreamHeld\":0");
            }
            // Still usable: the host did not close what it did not open.
            assertThat(vertx.timer(1).map(fired -> "fired").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("fired");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
