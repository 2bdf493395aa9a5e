package io.edgefn.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.deploy.Deployment;
import io.edgefn.deploy.PackageHashes;
import io.edgefn.deploy.SignaturePolicy;
import io.edgefn.deploy.TrustedKeys;
import io.edgefn.app.gateway.Gateway;
import io.edgefn.upstream.UpstreamConfig;
import io.edgefn.upstream.UpstreamLink;
import io.edgefn.upstream.UpstreamStats;
import io.edgefn.runtime.HostStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code edgefn run}: runs a deployment until stopped. SIGTERM (or Ctrl-C) drains in-flight work
 * and exits 0. An exit the host did not ask for — a function that reached {@code System.exit} by a
 * route the package scan cannot see — is reported with its caller's stack, the host is stopped in
 * order all the same, and the process exits with {@value ExitWatch#UNEXPECTED_EXIT_STATUS}, so that
 * a supervisor restarting on failure restarts it.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a deployment until stopped; SIGTERM drains in-flight work and exits 0.",
                "When ready, prints one JSON line: {\"event\": \"ready\", \"mqttPort\": …, \"httpPort\": …}.",
                "Exits 70 when something other than a signal ends the process (a function calling System.exit), "
                        + "naming the caller on stderr."})
final class RunCommand implements Callable<Integer> {

    @Option(names = "--deployment", paramLabel = "FILE",
            description = "The deployment document (JSON): validated, started and recorded in the data directory's "
                    + "deployment history. Without it, the host resumes the history's current deployment.")
    Path deployment;

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--gateway-id", paramLabel = "ID",
            description = "This gateway's id, recorded in the data directory on first use (default: the recorded one, else the host name).")
    String gatewayId;

    @Option(names = "--hostname", paramLabel = "NAME",
            description = "The name devices reach this gateway by (GatewayHostName); its server certificate covers it, "
                    + "localhost and 127.0.0.1. Recorded on first use; a different one later reissues the certificate.")
    String hostname;

    @Option(names = "--mqtt-port", paramLabel = "PORT", defaultValue = "8883",
            description = "TLS MQTT port of the edge hub (default ${DEFAULT-VALUE}; 0 picks a free one; -1 turns it off).")
    int mqttPort;

    @Option(names = "--mqtt-plain-port", paramLabel = "PORT", defaultValue = "-1",
            description = "Plain (unencrypted) MQTT port, for development only (off unless given; 0 picks a free one).")
    int mqttPlainPort;

    @Option(names = "--upstream", paramLabel = "URL",
            description = "Where $upstream goes: mqtt://host:port, mqtts://host:port, or @FILE holding one of those "
                    + "or an IoT Hub device connection string. Without it, messages are held in the offline buffer.")
    String upstream;

    @Option(names = "--upstream-auth", paramLabel = "@FILE",
            description = "The upstream credentials (owner-only file: username=/password=, certificate=/privateKey=, "
                    + "or sharedAccessKey=; ca= for mqtts trust). Default: $EDGEFN_UPSTREAM_AUTH. Never on the command line.")
    String upstreamAuth;

    @Option(names = "--tag", paramLabel = "KEY=VALUE",
            description = "A tag of this gateway (repeatable), matched by fleet deployments' --target; recorded in the data "
                    + "directory, so a start without --tag keeps the recorded ones.")
    java.util.List<String> tags;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8443",
            description = "Management API port (default ${DEFAULT-VALUE}; 0 picks a free one), served over https with the "
                    + "gateway's certificate (trust the CA 'edgefn certs export' prints); -1 turns it off.")
    int httpPort;

    @Option(names = "--http-bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address the management API listens on (default ${DEFAULT-VALUE}: this machine only; "
                    + "e.g. 0.0.0.0 for every interface). Every call but GET /health needs the token.")
    String httpBind;

    @Option(names = "--function-http-bind", paramLabel = "ADDR",
            description = "Also serve the functions' /fn/ paths on this address (e.g. 0.0.0.0), each request with its "
                    + "function's token (edgefn token --function NAME). Default: loopback only, on the --http-port.")
    String functionHttpBind;

    @Option(names = "--function-http-port", paramLabel = "PORT", defaultValue = "8444",
            description = "Port of --function-http-bind (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int functionHttpPort;

    @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long a function's constructor may run at start (default ${DEFAULT-VALUE} s); "
                    + "one still running then is FAILED and the host starts without it.")
    int startTimeoutSeconds;

    @Option(names = "--allow-unsigned",
            description = "Development only: run an unsigned deployment although this gateway trusts signing keys"
                    + " (a loud warning is printed). A signature, when there is one, is checked anyway.")
    boolean allowUnsigned;

    @Option(names = "--trace-route", paramLabel = "NAME", split = ",",
            description = "Log why this route did or did not take each message (repeatable; * for every route).")
    java.util.Set<String> tracedRoutes = java.util.Set.of();

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "${env:EDGEFN_LOG_FORMAT:-text}",
            description = "How log lines look on stderr: text (default) or json, one JSON object per line for journald and "
                    + "log shippers (default: $EDGEFN_LOG_FORMAT, else text).")
    String logFormat;

    @Override
    public Integer call() throws Exception {
        // First: every line below, the host's and this command's, in the format asked for.
        LogFormat.use(LogFormat.parse(logFormat, "--log-format (or EDGEFN_LOG_FORMAT)"));
        if (startTimeoutSeconds < 1 || startTimeoutSeconds > 3600) {
            throw new IllegalArgumentException("--start-timeout must be between 1 and 3600 seconds, was " + startTimeoutSeconds);
        }
        Deployment parsed;
        if (deployment != null) {
            parsed = Deployment.read(deployment);
        } else {
            parsed = io.edgefn.runtime.EdgeHost.resumable(dataDir.resolve()).orElseThrow(() -> new IllegalArgumentException(
                    "the data directory " + dataDir.resolve() + " has no deployment history to resume: start the host with"
                            + " --deployment FILE once (edgefn deploy then changes it live)"));
            LogFormat.say("resuming " + parsed.origin());
        }
        PackageHashes.verify(parsed); // every local package file, before anything else
        SignaturePolicy.Verdict verdict = SignaturePolicy.check(parsed, TrustedKeys.of(dataDir.resolve()), allowUnsigned);
        if (verdict.warning() != null) {
            LogFormat.warn(verdict.warning());
        } else if (verdict.signedBy() != null) {
            LogFormat.say("deployment " + parsed.origin() + " is signed by trusted key " + verdict.signedBy());
        }
        if (upstreamAuth != null && !upstreamAuth.startsWith("@")) {
            throw new IllegalArgumentException("--upstream-auth takes @FILE: secrets on the command line show in ps");
        }
        UpstreamConfig link = upstream == null ? null : UpstreamConfig.parse(upstream, upstreamAuth, System.getenv());
        Gateway.Builder builder = Gateway.builder();
        if (functionHttpBind != null) {
            builder.functionHttp(functionHttpBind, functionHttpPort);
        }
        Gateway host = builder
                .deployment(parsed)
                .dataDirectory(dataDir.resolve())
                .gatewayId(gatewayId)
                .hostname(hostname)
                .mqttPort(mqttPort)
                .mqttPlainPort(mqttPlainPort)
                .httpPort(httpPort)
                .httpBind(httpBind)
                .upstream(link)
                .startTimeout(Duration.ofSeconds(startTimeoutSeconds))
                .traceRoutes(tracedRoutes)
                .allowUnsigned(allowUnsigned)
                .tags(tags == null ? null : io.edgefn.app.fleet.FleetTags.gatewayTags(tags))
                .build();
        // Before any function's code runs: a constructor may reach System.exit too.
        ExitWatch exits = ExitWatch.install();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> stop(host, exits, stopped), "edgefn-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            host.start();
        } catch (RuntimeException | Error e) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook); // the command fails normally, with status 1
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting already: the hook reports why.
            }
            throw e;
        }
        ObjectNode ready = new ObjectMapper().createObjectNode().put("event", "ready");
        port(ready, "mqttPort", host.mqttPort());
        port(ready, "mqttPlainPort", host.mqttPlainPort());
        port(ready, "httpPort", host.host().httpPort());
        port(ready, "functionHttpPort", host.host().functionHttpPort());
        ready.put("gatewayId", host.identity().gatewayId()).put("hostname", host.identity().hostname())
                .put("functions", host.host().stats().functions().size()).put("dataDir", dataDir.resolve().toString())
                .put("upstream", link == null ? null : link.serverUri());
        ObjectNode tagNode = ready.putObject("tags");
        host.tags().forEach(tagNode::put);
        System.out.println(ready);
        System.out.flush();
        stopped.await();
        return 0;
    }

    /**
     * The shutdown hook: says why the JVM is exiting when the host did not ask for it, stops the
     * host in order, and ends the process with 0 after a signal — a SIGTERM'd JVM would exit 143 —
     * or {@value ExitWatch#UNEXPECTED_EXIT_STATUS} after an exit nobody in the host asked for.
     */
    private static void port(ObjectNode ready, String name, int port) {
        if (port > 0) {
            ready.put(name, port);
        } else {
            ready.putNull(name);
        }
    }

    private static void stop(Gateway host, ExitWatch exits, CountDownLatch stopped) {
        ExitWatch.Exit exit = exits.cause();
        int status = 0;
        if (exit.unexpected()) {
            status = ExitWatch.UNEXPECTED_EXIT_STATUS;
            LogFormat.warn("edgefn: " + exit.describe());
        }
        LogFormat.say("edgefn: stopping, draining in-flight work…");
        try {
            UpstreamLink link = host.upstream();
            io.edgefn.runtime.EdgeHost started = host.host(); // null when the signal came before start() made it
            host.close();
            if (started == null) {
                LogFormat.say("edgefn: stopped before the host had started");
            } else {
                printSummary(started.stats(), link == null ? null : link.stats());
            }
        } catch (RuntimeException | Error e) {
            LogFormat.warn("edgefn: stopping failed: " + e);
            status = status == 0 ? 1 : status;
        }
        if (exit.unexpected()) {
            LogFormat.warn("edgefn: exiting with status " + status + ": the host did not ask for this exit");
        }
        System.out.flush();
        System.err.flush();
        stopped.countDown();
        Runtime.getRuntime().halt(status);
    }

    private static void printSummary(HostStats stats, UpstreamStats upstream) {
        if (upstream == null) {
            LogFormat.say(String.format("edgefn: stopped. %d message(s) held for upstream (no upstream link configured)",
                    stats.upstreamHeld()));
        } else {
            LogFormat.say(String.format("edgefn: stopped. %d message(s) sent upstream, %d held for upstream (sent when the link is back)",
                    upstream.sent(), stats.upstreamHeld()));
        }
    }

    static String defaultGatewayId() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "edgefn-gateway";
        }
    }
}
