package io.edgefn.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.api.Message;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.buffer.Cursor;
import io.edgefn.deploy.Deployment;
import io.edgefn.testing.ManualClock;
import io.edgefn.testing.ManualScheduler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live deployment changes in real hosts: a bad deployment refused whole while the old one runs;
 * an update under a steady 5,000 messages per second losing and duplicating nothing; a new
 * version that cannot start, and one whose invocations fail within its health gate (timed on a
 * manual clock), rolled back; unchanged functions kept running; rollback and resume from the
 * history.
 */
class LiveDeploymentIT {

    @TempDir
    static Path jars;
    static Path relay;
    static Path crashing;
    static Path erring;
    static Path counter;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildPackages() throws java.io.IOException {
        java.nio.file.Files.createDirectories(jars.resolve("crashing"));
        java.nio.file.Files.createDirectories(jars.resolve("erring"));
        relay = TestPackages.build(jars, "relay", Map.of("t.Relay", """
                package t;
                import io.edgefn.api.*;
                @EdgeFunction("relay")
                public class Relay {
                    @RouteTrigger(input = "in") @SendTo("out")
                    public String on(String body, FunctionContext context) {
                        return context.settings().string("tag").orElse("?") + ":" + body;
                    }
                }"""));
        crashing = TestPackages.build(jars.resolve("crashing"), "relay", Map.of("t.Relay", """
                package t;
                import io.edgefn.api.*;
                @EdgeFunction("relay")
                public class Relay {
                    public Relay() {
                        throw new IllegalStateException("no configuration for the relay");
                    }
                    @RouteTrigger(input = "in") @SendTo("out")
                    public String on(String body) {
                        return body;
                    }
                }"""));
        erring = TestPackages.build(jars.resolve("erring"), "relay", Map.of("t.Relay", """
                package t;
                import io.edgefn.api.*;
                @EdgeFunction(value = "relay", retries = 0)
                public class Relay {
                    @RouteTrigger(input = "in") @SendTo("out")
                    public String on(String body) {
                        throw new IllegalArgumentException("cannot relay " + body);
                    }
                }"""));
        counter = TestPackages.build(jars, "counter", Map.of("c.Counter", """
                package c;
                import io.edgefn.api.*;
                @EdgeFunction("counter")
                public class Counter {
                    private int n;
                    @RouteTrigger(input = "in") @SendTo("counted")
                    public synchronized String on(String body) {
                        return "count:" + (++n);
                    }
                }"""));
    }

    private static String path(Path p) {
        return p.toString().replace("\\", "\\\\");
    }

    /** A deployment of the relay (from {@code relayJar}, tagging with {@code tag}) and the counter. */
    private Deployment deployment(String version, Path relayJar, String tag, String extraRoutes, String gate) {
        String json = """
                {"version": "%s",
                 "packages": {"relay": {"file": "%s", "settings": {"tag": "%s"}}, "counter": {"file": "%s"}},
                 "routes": {"in": "FROM /messages WHERE kind = 'work' INTO BrokeredEndpoint(\\"/modules/relay/inputs/in\\")",
                            "up": "FROM /messages/modules/relay/outputs/out INTO $upstream",
                            "count": "FROM /messages WHERE kind = 'count' INTO BrokeredEndpoint(\\"/modules/counter/inputs/in\\")",
                            "counted": "FROM /messages/modules/counter/outputs/counted INTO $upstream"%s}
                 %s}
                """.formatted(version, path(relayJar), tag, path(counter), extraRoutes, gate == null ? "" : ", \"healthGate\": " + gate);
        return Deployment.parse(json.getBytes(StandardCharsets.UTF_8), version + ".json", dir);
    }

    private EdgeHost.Builder host(Deployment deployment) {
        return EdgeHost.builder().deployment(deployment).dataDirectory(dir.resolve("data"));
    }

    private static Message work(String body) {
        return Message.builder().body(body).property("kind", "work").build();
    }

    /** Every body the host holds for upstream from now on, in order, waiting until {@code count} arrived. */
    private static List<String> upstream(EdgeHost host, Cursor cursor, int count) throws InterruptedException {
        List<String> bodies = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (bodies.size() < count && System.nanoTime() < deadline) {
            List<BufferedRecord> records = cursor.poll(4096, Duration.ofMillis(200));
            for (BufferedRecord r : records) {
                bodies.add(UpstreamRecords.decode(r.payload()).bodyAsString());
                cursor.ack(r.offset());
            }
        }
        return bodies;
    }

    @Test
    void badDeployment_refusedWhole_oldOneKeepsRunning() throws Exception {
        try (EdgeHost host = host(deployment("v1", relay, "v1", "", null)).build().start()) {
            Cursor cursor = host.buffer().cursor(UpstreamRecords.CURSOR);
            Deployment bad = deployment("v2", jars.resolve("missing.jar"), "v2",
                    ", \"lost\": \"FROM /messages INTO BrokeredEndpoint(\\\"/modules/nope/inputs/in\\\")\"", null);
            DeployOutcome outcome = host.deployments().apply(bad).get(30, TimeUnit.SECONDS);

            assertThat(outcome.state()).isEqualTo(DeploymentState.REFUSED);
            assertThat(outcome.reasons()).anySatisfy(r -> assertThat(r).contains("missing.jar"));
            assertThat(host.deployments().current().version()).isEqualTo("v1");
            assertThat(host.deployments().history()).extracting(DeploymentRecord::version).containsExactly("v1");
            host.submit(work("still")).get();
            assertThat(upstream(host, cursor, 1)).containsExactly("v1:still");

            // The routes are checked against the functions it really has, every bad one named.
            Deployment badRoute = deployment("v3", relay, "v3",
                    ", \"lost\": \"FROM /messages INTO BrokeredEndpoint(\\\"/modules/nope/inputs/in\\\")\"", null);
            DeployOutcome route = host.deployments().apply(badRoute).get(30, TimeUnit.SECONDS);
            assertThat(route.state()).isEqualTo(DeploymentState.REFUSED);
            assertThat(String.join("\n", route.reasons())).contains("nope");
            assertThat(host.stats().deploymentVersion()).isEqualTo("v1");
            host.submit(work("again")).get();
            assertThat(upstream(host, cursor, 1)).containsExactly("v1:again");
        }
    }

    @Test
    void updateUnderLoad_losesAndDuplicatesNothing_andKeepsUnchangedFunctions() throws Exception {
        try (EdgeHost host = host(deployment("v1", relay, "v1", "", null)).queueCapacity(4096).build().start()) {
            Cursor cursor = host.buffer().cursor(UpstreamRecords.CURSOR);
            host.submit(Message.builder().body("x").property("kind", "count").build()).get();
            assertThat(upstream(host, cursor, 1)).containsExactly("count:1");
            Instant counterStarted = host.stats().functions().get("counter").lastStartTime();

            int total = 15_000; // 3 s at 5,000 a second
            AtomicLong refused = new AtomicLong();
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                long start = System.nanoTime();
                for (int i = 0; i < total; i++) {
                    long due = start + i * 200_000L; // one every 200 µs
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    host.submit(work(Integer.toString(i))).whenComplete((ok, failure) -> {
                        if (failure != null) {
                            refused.incrementAndGet();
                        }
                    });
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> host.stats().functions().get("relay").invocations() > 3_000);
            DeployOutcome outcome = host.deployments().apply(deployment("v2", relay, "v2", "", "{\"seconds\": 0}"))
                    .get(30, TimeUnit.SECONDS);
            producer.get(30, TimeUnit.SECONDS);

            assertThat(outcome.state()).as(outcome.reasons().toString()).isEqualTo(DeploymentState.APPLIED);
            List<String> bodies = upstream(host, cursor, total);
            Map<Integer, Integer> seen = new HashMap<>();
            List<String> tags = new ArrayList<>();
            for (String b : bodies) {
                String[] parts = b.split(":");
                seen.merge(Integer.parseInt(parts[1]), 1, Integer::sum);
                tags.add(parts[0]);
            }
            assertThat(refused.get()).as("messages refused").isZero();
            assertThat(seen).as("every message once").hasSize(total);
            assertThat(seen.values()).allMatch(n -> n == 1);
            assertThat(tags).contains("v1", "v2");
            assertThat(outcome.applyMillis()).isLessThan(5_000);

            // The counter did not change: the same instance keeps counting, never restarted.
            host.submit(Message.builder().body("y").property("kind", "count").build()).get();
            assertThat(upstream(host, cursor, 1)).containsExactly("count:2");
            FunctionStats counterNow = host.stats().functions().get("counter");
            assertThat(counterNow.lastStartTime()).isEqualTo(counterStarted);
            assertThat(counterNow.restartCount()).isZero();
            assertThat(counterNow.invocations()).isEqualTo(2);
            assertThat(host.deployments().current().version()).isEqualTo("v2");
            assertThat(host.stats().deploymentVersion()).isEqualTo("v2");
        }
    }

    @Test
    void newVersionThatCannotStart_rolledBack_oldOneNeverStopped() throws Exception {
        try (EdgeHost host = host(deployment("v1", relay, "v1", "", null)).build().start()) {
            Cursor cursor = host.buffer().cursor(UpstreamRecords.CURSOR);
            DeployOutcome outcome = host.deployments().apply(deployment("v2", crashing, "v2", "", null))
                    .get(30, TimeUnit.SECONDS);

            assertThat(outcome.state()).isEqualTo(DeploymentState.ROLLED_BACK);
            assertThat(String.join("\n", outcome.reasons())).contains("relay").contains("no configuration for the relay");
            assertThat(host.deployments().current().version()).isEqualTo("v1");
            assertThat(host.deployments().history()).extracting(DeploymentRecord::version, DeploymentRecord::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("v1", DeploymentState.APPLIED),
                            org.assertj.core.groups.Tuple.tuple("v2", DeploymentState.ROLLED_BACK));
            host.submit(work("after")).get();
            assertThat(upstream(host, cursor, 1)).containsExactly("v1:after");
        }
    }

    @Test
    void newVersionFailingWithinItsGate_rolledBackAutomatically() throws Exception {
        ManualClock clock = new ManualClock();
        ManualScheduler gate = new ManualScheduler(clock);
        try (EdgeHost host = host(deployment("v1", relay, "v1", "", null)).healthGateTiming(clock, gate).build().start()) {
            Cursor cursor = host.buffer().cursor(UpstreamRecords.CURSOR);
            CompletableFuture<DeployOutcome> applying = host.deployments().apply(deployment("v2", erring, "v2", "",
                    "{\"seconds\": 30, \"maxErrorRate\": 0.2, \"minInvocations\": 5}"));
            await().atMost(Duration.ofSeconds(20)).until(() -> gate.pending() >= 2); // swapped in, gate watching
            assertThat(host.deployments().current().state()).isEqualTo(DeploymentState.GATING);
            for (int i = 0; i < 5; i++) {
                host.submit(work("bad" + i)).get();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> host.stats().functions().get("relay").failures() >= 5);
            assertThat(applying).isNotDone();
            clock.advance(Duration.ofSeconds(3)); // the next checks see it

            DeployOutcome outcome = applying.get(30, TimeUnit.SECONDS);
            assertThat(outcome.state()).isEqualTo(DeploymentState.ROLLED_BACK);
            assertThat(String.join("\n", outcome.reasons())).contains("function 'relay' failed 5 of 5 invocations")
                    .contains("rolled back to deployment v1");
            assertThat(outcome.gateMillis()).isEqualTo(3_000);
            assertThat(host.deployments().current().version()).isEqualTo("v1");
            assertThat(host.deployments().history().getLast().state()).isEqualTo(DeploymentState.ROLLED_BACK);
            assertThat(host.deployments().history().getLast().reasons()).isEqualTo(outcome.reasons());
            host.submit(work("good")).get();
            assertThat(upstream(host, cursor, 1)).containsExactly("v1:good");
        }
    }

    @Test
    void rollbackAndResume_fromTheHistory() throws Exception {
        try (EdgeHost host = host(deployment("v1", relay, "v1", "", null)).build().start()) {
            assertThat(host.deployments().apply(deployment("v2", relay, "v2", "", "{\"seconds\": 0}")).get(30, TimeUnit.SECONDS)
                    .state()).isEqualTo(DeploymentState.APPLIED);
            assertThat(host.deployments().apply(deployment("v3", relay, "v3", "", "{\"seconds\": 0}")).get(30, TimeUnit.SECONDS)
                    .state()).isEqualTo(DeploymentState.APPLIED);
            DeployOutcome back = host.deployments().rollback(null).get(30, TimeUnit.SECONDS);
            assertThat(back.state()).as(back.reasons().toString()).isEqualTo(DeploymentState.APPLIED);
            assertThat(back.version()).isEqualTo("v2");
            DeployOutcome unknown = host.deployments().rollback("v9").get(30, TimeUnit.SECONDS);
            assertThat(unknown.state()).isEqualTo(DeploymentState.REFUSED);
            assertThat(unknown.reasons().getFirst()).contains("v9").contains("v1, v2, v3");
            try (var stored = java.nio.file.Files.list(dir.resolve("data").resolve("packages").resolve("sha256"))) {
                assertThat(stored.filter(p -> p.getFileName().toString().endsWith(".jar")))
                        .as("v1, v2 and v3 run the same relay and counter jars: the content-addressed store keeps each once")
                        .hasSize(2);
            }
            assertThat(host.deployments().history()).extracting(DeploymentRecord::version)
                    .containsExactly("v1", "v2", "v3", "v2");
        }
        // A host started without a deployment resumes the current one.
        Deployment resumed = EdgeHost.resumable(dir.resolve("data")).orElseThrow();
        assertThat(resumed.version()).isEqualTo("v2");
        try (EdgeHost host = host(resumed).build().start()) {
            assertThat(host.deployments().history()).hasSize(4);
            assertThat(host.deployments().current().sequence()).isEqualTo(4);
            Cursor cursor = host.buffer().cursor(UpstreamRecords.CURSOR);
            host.submit(work("resumed")).get();
            assertThat(upstream(host, cursor, 1)).containsExactly("v2:resumed");
        }
        assertThat(EdgeHost.resumable(dir.resolve("empty"))).isEmpty();
    }

    private static java.net.http.HttpResponse<String> http(int port, String method, String path, String token, String body)
            throws Exception {
        try (java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                            : java.net.http.HttpRequest.BodyPublishers.ofString(body));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        }
    }

    private static java.net.http.HttpResponse<String> put(int port, String path, String token, Path file) throws Exception {
        try (java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofFile(file));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void uploadedPackage_isStoredByItsHash_andADeploymentNamingAFileTheGatewayLacksRunsIt() throws Exception {
        try (EdgeHost host = host(deployment("v1", relay, "v1", "", "{\"seconds\": 0}")).httpPort(0).build().start()) {
            int port = host.httpPort();
            String token = java.nio.file.Files.readString(dir.resolve("data").resolve(DataDirectory.MANAGEMENT_TOKEN_FILE)).trim();
            Path author = java.nio.file.Files.createDirectories(dir.resolve("author"));
            Path jar = java.nio.file.Files.copy(erring, author.resolve("relay.jar"));
            String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(java.nio.file.Files.readAllBytes(jar)));
            String other = "0".repeat(64);

            assertThat(http(port, "GET", "/packages/" + sha, token, null).statusCode()).isEqualTo(404);
            assertThat(put(port, "/packages/" + sha, null, jar).statusCode()).as("no token").isEqualTo(401);
            assertThat(put(port, "/packages/not-a-hash", token, jar).statusCode()).isEqualTo(400);
            java.net.http.HttpResponse<String> wrong = put(port, "/packages/" + other, token, jar);
            assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(422);
            assertThat(wrong.body()).contains(other);
            java.net.http.HttpResponse<String> stored = put(port, "/packages/" + sha, token, jar);
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
            assertThat(http(port, "GET", "/packages/" + sha, token, null).statusCode()).isEqualTo(200);
            assertThat(dir.resolve("data/packages/sha256/" + sha + ".jar")).exists();

            // The gateway never sees the author's file: the document names it by path and hash.
            java.nio.file.Files.delete(jar);
            Deployment remote = Deployment.parse(("""
                    {"version": "v2",
                     "packages": {"relay": {"file": "%s", "sha256": "%s", "settings": {"tag": "v2"}}, "counter": {"file": "%s"}},
                     "routes": {"in": "FROM /messages WHERE kind = 'work' INTO BrokeredEndpoint(\\"/modules/relay/inputs/in\\")",
                                "up": "FROM /messages/modules/relay/outputs/out INTO $upstream"},
                     "healthGate": {"seconds": 0}}
                    """).formatted(path(jar), sha, path(counter)).getBytes(StandardCharsets.UTF_8), "v2.json", dir);
            DeployOutcome outcome = host.deployments().apply(remote).get(30, TimeUnit.SECONDS);
            assertThat(outcome.state()).as(outcome.reasons().toString()).isEqualTo(DeploymentState.APPLIED);
        }
    }

    @Test
    void managementApi_deploysRollsBackAndListsWithTheTokenOnly() throws Exception {
        // v1 with a gate of 0 s: rolling back to it answers at once.
        try (EdgeHost host = host(deployment("v1", relay, "v1", "", "{\"seconds\": 0}")).httpPort(0).build().start()) {
            int port = host.httpPort();
            String token = java.nio.file.Files.readString(dir.resolve("data").resolve(DataDirectory.MANAGEMENT_TOKEN_FILE)).trim();
            String v2 = deployment("v2", relay, "v2", "", "{\"seconds\": 0}").document().toString();

            for (String[] call : new String[][] {{"GET", "/deployments"}, {"POST", "/deployments"},
                    {"POST", "/deployments/rollback"}}) {
                assertThat(http(port, call[0], call[1], null, call[0].equals("GET") ? null : v2).statusCode())
                        .as("%s %s without a token", call[0], call[1]).isEqualTo(401);
                assertThat(http(port, call[0], call[1], "wrong", call[0].equals("GET") ? null : v2).statusCode())
                        .as("%s %s with a wrong token", call[0], call[1]).isEqualTo(401);
            }
            assertThat(host.deployments().history()).hasSize(1);

            var applied = http(port, "POST", "/deployments", token, v2);
            assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            assertThat(json.readTree(applied.body()).get("state").asText()).isEqualTo("APPLIED");
            var status = json.readTree(http(port, "GET", "/status", token, null).body());
            assertThat(status.get("deployment").get("version").asText()).isEqualTo("v2");
            assertThat(status.get("deployment").get("state").asText()).isEqualTo("APPLIED");
            assertThat(status.has("deploymentVersion")).isFalse();

            var malformed = http(port, "POST", "/deployments", token, "{\"routes\": 3");
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(malformed.body()).contains("REFUSED").contains("malformed JSON");
            var refused = http(port, "POST", "/deployments", token,
                    deployment("v3", jars.resolve("missing.jar"), "v3", "", null).document().toString());
            assertThat(refused.statusCode()).isEqualTo(422);
            assertThat(refused.body()).contains("missing.jar");

            var back = http(port, "POST", "/deployments/rollback", token, "{}");
            assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
            assertThat(json.readTree(back.body()).get("version").asText()).isEqualTo("v1");
            var list = json.readTree(http(port, "GET", "/deployments", token, null).body());
            assertThat(list.get("current").get("version").asText()).isEqualTo("v1");
            assertThat(list.get("history")).extracting(n -> n.get("version").asText()).containsExactly("v1", "v2", "v1");
        }
    }

    @Test
    void unsignedDeployment_refusedWhenTheGatewayTrustsAKey() throws Exception {
        java.nio.file.Path keys = dir.resolve("keys");
        java.security.PublicKey publicKey = io.edgefn.deploy.SigningKeys.generate(keys);
        try (EdgeHost host = host(deployment("v1", relay, "v1", "", null)).build().start()) {
            io.edgefn.deploy.TrustedKeys.of(dir.resolve("data")).add(publicKey);
            DeployOutcome outcome = host.deployments().apply(deployment("v2", relay, "v2", "", null)).get(30, TimeUnit.SECONDS);
            assertThat(outcome.state()).isEqualTo(DeploymentState.REFUSED);
            assertThat(String.join("\n", outcome.reasons())).contains("not signed");
            assertThat(host.deployments().current().version()).isEqualTo("v1");
        }
    }

    @Test
    void changedStatefulFunction_newVersionKeepsItsStore() throws Exception {
        Path tally = TestPackages.build(dir, "tally", Map.of("s.Tally", """
                package s;
                import io.edgefn.api.*;
                @EdgeFunction("tally")
                public class Tally {
                    public record Count(long value) { }
                    @DirectMethodTrigger("count")
                    public long count(@StateStore("counts") State<Count> counts) {
                        return counts.update("total", c -> new Count(c == null ? 1 : c.value() + 1)).value();
                    }
                }"""));
        String json = """
                {"version": "%s", "healthGate": {"seconds": 0},
                 "packages": {"s": {"file": "%s", "settings": {"tag": "%s"}}}, "routes": {}}""";
        Deployment v1 = Deployment.parse(json.formatted("v1", path(tally), "v1").getBytes(StandardCharsets.UTF_8), "v1", dir);
        Deployment v2 = Deployment.parse(json.formatted("v2", path(tally), "v2").getBytes(StandardCharsets.UTF_8), "v2", dir);
        try (EdgeHost host = host(v1).build().start()) {
            assertThat(tally(host)).isEqualTo(1);
            assertThat(tally(host)).isEqualTo(2);
            Instant firstStart = host.stats().functions().get("tally").lastStartTime();
            DeployOutcome outcome = host.deployments().apply(v2).get(30, TimeUnit.SECONDS);
            assertThat(outcome.state()).as(outcome.reasons().toString()).isEqualTo(DeploymentState.APPLIED);
            assertThat(host.stats().functions().get("tally").invocations()).as("a new version, counted anew").isZero();
            assertThat(tally(host)).as("the store carried over").isEqualTo(3);
            assertThat(host.stats().functions().get("tally").lastStartTime()).isAfterOrEqualTo(firstStart);
        }
    }

    private static long tally(EdgeHost host) throws Exception {
        MethodResponse r = host.invokeMethod("tally", "count", null, Duration.ofSeconds(10)).get(30, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return Long.parseLong(new String(r.payload(), StandardCharsets.UTF_8).trim());
    }
}
