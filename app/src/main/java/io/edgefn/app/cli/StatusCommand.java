package io.edgefn.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.buffer.BufferStats;
import io.edgefn.buffer.OfflineBuffer;
import io.edgefn.runtime.DataDirectory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code edgefn status}: what a gateway holds. Asks the running host's management API, or, when no
 * host runs on the data directory, reads the offline buffer itself — read-only: it reports what
 * recovery would find (damaged records counted, a torn tail left unread) and changes no file.
 * Finds a demo's host data in {@code D/host} ({@link HostDataDir}).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows a gateway's functions, routes and offline buffer (depth, oldest age, bytes held).",
                "Asks the running host; with none running, reads the data directory's buffer directly, read-only.",
                "Given a demo's --data-dir, shows the demo's host (kept in DIR/host)."})
final class StatusCommand implements Callable<Integer> {

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--json", description = "Print the raw status JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        HostDataDir dir = HostDataDir.find(dataDir.resolve());
        if (dir.hostRunning()) {
            return askRunningHost(dir.host());
        }
        if (!Files.isDirectory(dir.buffer())) {
            System.out.println("no host is running on " + dir.describe() + ", and it holds no offline buffer");
            return 0;
        }
        try (OfflineBuffer buffer = OfflineBuffer.openReadOnly(dir.buffer())) {
            BufferStats stats = buffer.stats();
            if (json) {
                System.out.println(new ObjectMapper().writeValueAsString(stats));
                return 0;
            }
            System.out.println("no host is running on " + dir.describe() + "; its offline buffer (read-only):");
            printBuffer(new ObjectMapper().valueToTree(stats));
        }
        return 0;
    }

    private int askRunningHost(Path dir) throws Exception {
        Path portFile = dir.resolve(DataDirectory.HTTP_PORT_FILE);
        if (!Files.exists(portFile)) {
            System.out.println("a host is running on " + dir + " without its management API (start it with --http-port)");
            return 1;
        }
        ManagementTarget.Resolved api = ManagementTarget.fromDataDir(HostDataDir.find(dir));
        URI uri = URI.create(api.base() + "/status");
        HttpResponse<String> response;
        try (HttpClient client = ManagementTarget.client(api)) {
            response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + api.token()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            System.err.println("edgefn status: " + api.name() + " did not answer within 5 s");
            return 1;
        } catch (IOException e) {
            System.err.println("edgefn status: " + ManagementTarget.unreachable(api, uri, e));
            return 1;
        }
        if (response.statusCode() != 200) {
            System.err.println("edgefn status: " + api.name() + " answered HTTP " + response.statusCode() + ": " + response.body().trim());
            return 1;
        }
        if (json) {
            System.out.println(response.body());
            return 0;
        }
        JsonNode status = new ObjectMapper().readTree(response.body());
        System.out.println("host on " + dir + " (management API on " + api.base() + ")");
        if (status.has("deployment")) {
            System.out.printf("  deployment %s (%s)%n", status.path("deployment").path("version").asText("without a version"),
                    status.path("deployment").path("state").asText());
        }
        System.out.printf("  held for upstream: %d message(s), oldest %d ms, %d bytes on disk%n",
                status.path("upstreamHeld").asLong(), status.path("upstreamOldestAgeMillis").asLong(),
                status.path("bufferBytes").asLong());
        status.path("functions").properties().forEach(e -> System.out.printf(
                "  function %-20s %-10s invocations %d, failures %d, retries %d, dead-lettered %d, p99 %s ms%n",
                e.getKey(), e.getValue().path("state").asText(), e.getValue().path("invocations").asLong(),
                e.getValue().path("failures").asLong(), e.getValue().path("retries").asLong(),
                e.getValue().path("deadLettered").asLong(), e.getValue().path("durations").path("p99Millis").asText("0")));
        status.path("messagesByRoute").properties().forEach(e -> System.out.printf("  route %-24s %d message(s)%n",
                e.getKey(), e.getValue().asLong()));
        status.path("devices").properties().forEach(e -> System.out.printf("  device %-20s %s%n", e.getKey(), e.getValue().asText()));
        printHub(status.path("hub"));
        printUpstream(status.path("upstream"));
        if (!status.path("buffer").isMissingNode() && !status.path("buffer").isNull()) {
            printBuffer(status.path("buffer"));
        }
        return 0;
    }

    private static void printHub(JsonNode hub) {
        if (hub.isMissingNode() || hub.isNull()) {
            return;
        }
        System.out.printf("  edge hub: %d client(s) connected; %d message(s) received, %d acknowledged, %d to modules%n",
                hub.path("clientsConnected").asInt(), hub.path("messagesReceived").asLong(), hub.path("messagesAcked").asLong(),
                hub.path("moduleMessagesAcked").asLong());
        hub.path("clients").properties().forEach(e -> System.out.printf("    client %-28s %s from %s since %s%s%n", e.getKey(),
                authType(e.getValue().path("authMethod").asText()), e.getValue().path("remoteAddress").asText(),
                e.getValue().path("connectedAt").asText(), e.getValue().path("paused").asBoolean() ? " (paused: a sink is full)" : ""));
        hub.path("refused").properties().forEach(e -> {
            if (e.getValue().asLong() > 0) {
                System.out.printf("    refused %-24s %d%n", e.getKey(), e.getValue().asLong());
            }
        });
    }

    private static String authType(String authMethod) {
        return authMethod.contains("x509") ? "X.509" : authMethod.contains("sas") ? "SAS" : authMethod;
    }

    private static void printUpstream(JsonNode up) {
        if (up.isMissingNode()) {
            return;
        }
        if (up.isNull()) {
            System.out.println("  upstream: no link configured (messages are held in the offline buffer)");
            return;
        }
        System.out.printf("  upstream: %s, %d in flight, %d sent, %d expired, %d reconnect(s); last error: %s%n",
                up.path("state").asText(), up.path("inFlight").asInt(), up.path("sent").asLong(),
                up.path("expiredDropped").asLong(), up.path("reconnects").asLong(),
                up.path("lastError").isNull() ? "none" : up.path("lastError").asText());
    }

    private static void printBuffer(JsonNode b) {
        System.out.printf("  buffer: %d bytes on disk, %d appends, %d fsyncs; dropped: ttl %d, full %d, corrupt %d; rejected (full) %d%n",
                b.path("bytesOnDisk").asLong(), b.path("appends").asLong(), b.path("fsyncs").asLong(),
                b.path("droppedTtl").asLong(), b.path("droppedFull").asLong(), b.path("droppedCorrupt").asLong(),
                b.path("rejectedFull").asLong());
        if (b.path("diskFull").asBoolean() || b.path("failedAppends").asLong() > 0) {
            System.out.printf("  disk: %s; %d append(s) refused by the disk; last error: %s%n",
                    b.path("diskFull").asBoolean() ? "FULL" : "writing again", b.path("failedAppends").asLong(),
                    b.path("lastWriteError").asText("none"));
        }
        for (JsonNode c : b.path("cursors")) {
            System.out.printf("  cursor %-12s depth %d, oldest %d ms%n", c.path("name").asText(), c.path("depth").asLong(),
                    c.path("oldestAgeMillis").asLong());
            for (JsonNode p : c.path("priorities")) {
                System.out.printf("    priority %-2d depth %d, oldest %d ms%n", p.path("priority").asInt(),
                        p.path("depth").asLong(), p.path("oldestAgeMillis").asLong());
            }
        }
    }
}
