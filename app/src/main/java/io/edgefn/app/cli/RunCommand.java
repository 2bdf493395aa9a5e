package io.edgefn.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.deploy.Deployment;
import io.edgefn.runtime.EdgeHost;
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
                "Exits 70 when something other than a signal ends the process (a function calling System.exit),",
                "naming the caller on stderr."})
final class RunCommand implements Callable<Integer> {

    @Option(names = "--deployment", required = true, paramLabel = "FILE", description = "The deployment document (JSON).")
    Path deployment;

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--gateway-id", paramLabel = "ID", description = "This gateway's id (default: the host name).")
    String gatewayId;

    @Option(names = "--mqtt-port", paramLabel = "PORT", defaultValue = "8883",
            description = "TLS MQTT port of the edge hub (default ${DEFAULT-VALUE}; 0 picks a free one). "
                    + "The edge hub's MQTT server is not part of this build yet: the port is reported as null.")
    int mqttPort;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8443",
            description = "Management API port on loopback (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int httpPort;

    @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long a function's constructor may run at start (default ${DEFAULT-VALUE} s); "
                    + "one still running then is FAILED and the host starts without it.")
    int startTimeoutSeconds;

    @Option(names = "--trace-route", paramLabel = "NAME", split = ",",
            description = "Log why this route did or did not take each message (repeatable; * for every route).")
    java.util.Set<String> tracedRoutes = java.util.Set.of();

    @Override
    public Integer call() throws Exception {
        if (startTimeoutSeconds < 1 || startTimeoutSeconds > 3600) {
            throw new IllegalArgumentException("--start-timeout must be between 1 and 3600 seconds, was " + startTimeoutSeconds);
        }
        Deployment parsed = Deployment.read(deployment);
        EdgeHost host = EdgeHost.builder()
                .deployment(parsed)
                .dataDirectory(dataDir.resolve())
                .gatewayId(gatewayId != null ? gatewayId : defaultGatewayId())
                .httpPort(httpPort)
                .startTimeout(Duration.ofSeconds(startTimeoutSeconds))
                .traceRoutes(tracedRoutes)
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
        ObjectNode ready = new ObjectMapper().createObjectNode()
                .put("event", "ready")
                .putNull("mqttPort");
        if (host.httpPort() > 0) {
            ready.put("httpPort", host.httpPort());
        } else {
            ready.putNull("httpPort");
        }
        ready.put("functions", host.stats().functions().size()).put("dataDir", dataDir.resolve().toString());
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
    private static void stop(EdgeHost host, ExitWatch exits, CountDownLatch stopped) {
        ExitWatch.Exit exit = exits.cause();
        int status = 0;
        if (exit.unexpected()) {
            status = ExitWatch.UNEXPECTED_EXIT_STATUS;
            System.err.println("edgefn: " + exit.describe());
        }
        System.err.println("edgefn: stopping, draining in-flight work…");
        try {
            host.close();
            printSummary(host.stats());
        } catch (RuntimeException | Error e) {
            System.err.println("edgefn: stopping failed: " + e);
            status = status == 0 ? 1 : status;
        }
        if (exit.unexpected()) {
            System.err.println("edgefn: exiting with status " + status + ": the host did not ask for this exit");
        }
        System.out.flush();
        System.err.flush();
        stopped.countDown();
        Runtime.getRuntime().halt(status);
    }

    private static void printSummary(HostStats stats) {
        System.err.printf("edgefn: stopped. %d message(s) held for upstream (no upstream link configured)%n",
                stats.upstreamHeld());
    }

    static String defaultGatewayId() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "edgefn-gateway";
        }
    }
}
