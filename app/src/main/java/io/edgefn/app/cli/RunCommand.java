package io.edgefn.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefn.deploy.Deployment;
import io.edgefn.runtime.EdgeHost;
import io.edgefn.runtime.HostStats;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code edgefn run}: runs a deployment until stopped. SIGTERM (or Ctrl-C) drains in-flight work
 * and exits cleanly.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a deployment until stopped; SIGTERM drains in-flight work and exits 0.",
                "When ready, prints one JSON line: {\"event\": \"ready\", \"mqttPort\": …, \"httpPort\": …}."})
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

    @Option(names = "--trace-route", paramLabel = "NAME", split = ",",
            description = "Log why this route did or did not take each message (repeatable; * for every route).")
    java.util.Set<String> tracedRoutes = java.util.Set.of();

    @Override
    public Integer call() throws Exception {
        Deployment parsed = Deployment.read(deployment);
        EdgeHost host = EdgeHost.builder()
                .deployment(parsed)
                .dataDirectory(dataDir.resolve())
                .gatewayId(gatewayId != null ? gatewayId : defaultGatewayId())
                .httpPort(httpPort)
                .traceRoutes(tracedRoutes)
                .build()
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            System.err.println("edgefn: stopping, draining in-flight work…");
            int status = 0;
            try {
                host.close();
                printSummary(host.stats());
            } catch (RuntimeException | Error e) {
                System.err.println("edgefn: stopping failed: " + e);
                status = 1;
            }
            System.out.flush();
            System.err.flush();
            stopped.countDown();
            // A SIGTERM'd JVM would exit 143; when the drain succeeded, say so with 0.
            Runtime.getRuntime().halt(status);
        }, "edgefn-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
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
