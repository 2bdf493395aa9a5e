package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefn.app.fleet.FleetOptions;
import io.edgefn.app.fleet.FleetRollout;
import io.edgefn.app.fleet.FleetStatus;
import io.edgefn.app.fleet.FleetTopics;
import io.edgefn.app.gateway.Gateway;
import io.edgefn.deploy.Deployment;
import io.edgefn.testing.InMemoryCompiler;
import io.edgefn.testing.MosquittoBroker;
import io.edgefn.upstream.UpstreamConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Fleet deployments against a real Mosquitto: whole gateways in this JVM (each with its own data
 * directory, host, upstream link and fleet connection) take up one retained deployment published
 * by {@code edgefn deploy --fleet}. {@code -Psoak} raises the fleet to 50 gateways.
 */
class FleetIT {

    /** How many gateways the rollout targets (-Psoak: 50). */
    private static final int GATEWAYS = Integer.getInteger("edgefn.fleet.gateways", 20);

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private final List<Gateway> gateways = new ArrayList<>();
    private final ExecutorService starter = Executors.newFixedThreadPool(8);
    private Path v1;
    private Path v2;

    /** The broker as the CLI and --upstream take it. */
    private String brokerUrl() {
        return "mqtt://127.0.0.1:" + broker.port();
    }

    @BeforeEach
    void brokerAndDeployments() throws Exception {
        broker = MosquittoBroker.start(dir.resolve("broker"));
        v1 = write("v1", "one");
        v2 = write("v2", "two");
    }

    @AfterEach
    void stop() {
        // In parallel: each gateway's stop drains its own host and links.
        CompletableFuture.allOf(gateways.stream().map(g -> CompletableFuture.runAsync(g::close, starter)
                .exceptionally(e -> null)).toArray(CompletableFuture[]::new)).join();
        starter.shutdownNow();
        broker.close();
    }

    /** A deployment of one relay function that answers {@code <mark>:body}, its jar beside the document. */
    private Path write(String version, String mark) throws Exception {
        return write(version, mark, "BrokeredEndpoint(\\\"/modules/relay/inputs/in\\\")");
    }

    private Path write(String version, String mark, String into) throws Exception {
        return write(version, mark, into, "deployment.json", "jars/relay.jar");
    }

    /** As above, the document at {@code docPath} naming the jar as {@code jarRef} (relative to the document). */
    private Path write(String version, String mark, String into, String docPath, String jarRef) throws Exception {
        Path home = Files.createDirectories(dir.resolve(version).resolve("jars")).getParent();
        InMemoryCompiler.withClassPathProcessors().compile("t.Relay", """
                package t;
                import io.edgefn.api.*;
                @EdgeFunction("relay")
                public class Relay {
                    @RouteTrigger(input = "in") @SendTo("out")
                    public String on(String body) {
                        return "%s:" + body;
                    }
                }""".formatted(mark)).orThrow().writeJar(home.resolve("jars/relay.jar"));
        Path doc = home.resolve(docPath);
        Files.createDirectories(doc.getParent());
        Files.writeString(doc, """
                {"version": "%s",
                 "packages": {"relay": {"file": "%s"}},
                 "routes": {"in": "FROM /messages WHERE kind = 'work' INTO %s",
                            "up": "FROM /messages/modules/relay/outputs/out INTO $upstream"},
                 "healthGate": {"seconds": 0}}
                """.formatted(version, jarRef, into));
        return doc;
    }

    private Gateway gateway(String id, Map<String, String> tags) {
        return Gateway.builder().deployment(Deployment.read(v1)).dataDirectory(dir.resolve("data").resolve(id)).gatewayId(id)
                .mqttPort(-1).mqttPlainPort(0).upstream(UpstreamConfig.parse(brokerUrl(), null, Map.of())).tags(tags).build().start();
    }

    /** Starts gateways {@code prefix-00}… tagged {@code tags}, eight at a time, and waits until each announced itself. */
    private List<Gateway> fleet(String prefix, int count, Map<String, String> tags) {
        List<CompletableFuture<Gateway>> starts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "%s-%02d".formatted(prefix, i);
            starts.add(CompletableFuture.supplyAsync(() -> gateway(id, tags), starter));
        }
        List<Gateway> started = starts.stream().map(CompletableFuture::join).toList();
        synchronized (gateways) {
            gateways.addAll(started);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> started.stream().allMatch(g -> g.fleet().connected()));
        return started;
    }

    private static String version(Gateway g) {
        return g.host().deployments().current().version();
    }

    private CompletableFuture<CliRun> rollout(String... args) {
        return CompletableFuture.supplyAsync(() -> CliRun.run(args));
    }

    @Test
    void everyTargetedGatewayApplies_anOfflineOneWhenItReturns_andAnotherTagIgnoresIt() throws Exception {
        List<Gateway> north = fleet("north", GATEWAYS, Map.of("site", "north", "role", "pump"));
        Gateway south = fleet("south", 1, Map.of("site", "south", "role", "pump")).getFirst();
        Gateway offline = north.getFirst();
        Path offlineData = dir.resolve("data").resolve(offline.identity().gatewayId());
        offline.close(); // announced, so targeted; offline during the rollout

        CompletableFuture<CliRun> cli = rollout("deploy", v2.toString(), "--fleet", brokerUrl(),
                "--target", "site=north", "--timeout", "60");
        List<Gateway> online = north.subList(1, north.size());
        await().atMost(Duration.ofSeconds(40)).until(() -> online.stream().allMatch(g -> "v2".equals(version(g))));
        assertThat(online).allSatisfy(g -> assertThat(g.fleet().lastStatus().state()).isEqualTo(FleetStatus.APPLIED));
        assertThat(cli).isNotDone(); // it waits for the gateway that is away

        // Back, without --tag: it keeps its recorded tags, and takes up the retained deployment.
        Gateway back = Gateway.builder().deployment(Deployment.read(v1)).dataDirectory(offlineData)
                .gatewayId(offline.identity().gatewayId()).mqttPort(-1).mqttPlainPort(0)
                .upstream(UpstreamConfig.parse(brokerUrl(), null, Map.of())).build().start();
        synchronized (gateways) {
            gateways.add(back);
        }
        assertThat(back.tags()).containsEntry("site", "north");
        CliRun run = cli.get(60, TimeUnit.SECONDS);
        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains(GATEWAYS + " of " + GATEWAYS + " gateway(s) applied, 0 refused, 0 rolled back, 0 did not answer");
        assertThat(run.out()).contains(offline.identity().gatewayId() + "  APPLIED");
        assertThat(version(back)).isEqualTo("v2");

        assertThat(version(south)).isEqualTo("v1");
        assertThat(south.fleet().lastStatus()).isNull();

        // A restart does not apply the same fleet deployment again.
        long entries = back.host().deployments().history().size();
        back.close();
        Gateway again = Gateway.builder().deployment(Deployment.read(v2)).dataDirectory(offlineData)
                .gatewayId(offline.identity().gatewayId()).mqttPort(-1).mqttPlainPort(0)
                .upstream(UpstreamConfig.parse(brokerUrl(), null, Map.of())).build().start();
        synchronized (gateways) {
            gateways.add(again);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> again.fleet().connected());
        assertThat(again.fleet().lastStatus().state()).isEqualTo(FleetStatus.APPLIED);
        assertThat(again.host().deployments().history()).hasSizeLessThanOrEqualTo((int) entries + 1);
    }

    @Test
    void aBadDeployment_isRefusedByEveryGateway_andTheCliNamesTheReason() throws Exception {
        List<Gateway> three = fleet("gw", 3, Map.of());
        // The jar beside the document's directory: it lands inside the gateway's copy all the same.
        Path bad = write("v3", "three", "BrokeredEndpoint(\\\"/modules/nosuch/inputs/in\\\")", "docs/deployment.json",
                "../jars/relay.jar");

        CliRun run = rollout("deploy", bad.toString(), "--fleet", brokerUrl(), "--timeout", "30").get(40, TimeUnit.SECONDS);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("0 of 3 gateway(s) applied, 3 refused").contains("gw-00, gw-01, gw-02")
                .contains("nosuch").doesNotContain("../jars/relay.jar"); // the route, not the package: the jar was found
        assertThat(three).allSatisfy(g -> {
            assertThat(g.fleet().lastStatus().state()).isEqualTo(FleetStatus.REFUSED);
            assertThat(version(g)).isEqualTo("v1");
        });
    }

    @Test
    void aGatewayThatTrustsKeys_refusesAnUnsignedFleetDeployment_andRunsASignedOne() throws Exception {
        Path keys = dir.resolve("keys");
        CliRun.ok("keys", "generate", "--out", keys.toString());
        CliRun.ok("trust", "add", keys.resolve("signing.pub").toString(), "--data-dir", dir.resolve("data/secure-00").toString());
        Gateway secure = fleet("secure", 1, Map.of()).getFirst();

        CliRun unsigned = rollout("deploy", v2.toString(), "--fleet", brokerUrl(), "--timeout", "30").get(40, TimeUnit.SECONDS);
        assertThat(unsigned.status()).isEqualTo(1);
        assertThat(unsigned.out()).contains("REFUSED").contains("not signed");
        assertThat(version(secure)).isEqualTo("v1");

        CliRun.ok("sign", "--key", keys.resolve("signing.key").toString(), v2.toString());
        // As on a terminal: a progress bar, then the summary.
        FleetOptions options = new FleetOptions();
        new CommandLine(options).parseArgs("--fleet", brokerUrl());
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        int status = FleetRollout.run(v2, options, Duration.ofSeconds(30),
                new PrintStream(shown, true, StandardCharsets.UTF_8), true);
        assertThat(status).as(shown.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(shown.toString(StandardCharsets.UTF_8))
                .contains("\r\033[K[" + "#".repeat(30) + "] 1 applied, 0 failed, 0 pending of 1")
                .contains("secure-00  APPLIED").contains("1 of 1 gateway(s) applied");
        assertThat(version(secure)).isEqualTo("v2");
    }

    @Test
    void withoutAnyAnnouncedGateway_nothingIsPublished() {
        CliRun run = CliRun.run("deploy", v2.toString(), "--fleet", brokerUrl(), "--target", "site=nowhere", "--timeout", "5");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("no gateway(s) matching tags {site=[nowhere]}").contains("Nothing was published");
        assertThat(FleetTopics.DEPLOYMENT).isEqualTo("edgefn-fleet/deployment");

        CliRun waited = CliRun.run("deploy", v2.toString(), "--fleet", brokerUrl(), "--expect", "1", "--timeout", "1");
        assertThat(waited.status()).isEqualTo(1);
        assertThat(waited.out()).contains("no gateway(s) announced on").contains("(expected 1)");
    }
}
