package io.edgefn.app.cli;

import io.edgefn.deploy.Deployment;
import io.edgefn.deploy.PackageHashes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgefn deploy DEPLOYMENT}: applies a deployment live to a running host through its
 * management API's {@code POST /deployments} and waits: exit 0 when it is applied and passed its
 * health gate, 1 with every reason when it was refused or rolled back (or no host answered), 2 on
 * a usage error. The document is checked here first (its syntax and its local packages' hashes),
 * then sent as it is — a signature stays valid — with the directory its relative package files
 * resolve against, which is right when the host runs on this machine. With {@code --fleet} it rolls
 * the deployment out to every targeted gateway through their upstream broker instead
 * ({@link io.edgefn.app.fleet.FleetRollout}).
 */
@Command(name = "deploy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Applies a deployment to a running host live and waits for its health gate: new and changed "
                + "functions start beside the old ones, the routes swap in one step, unchanged functions keep running.",
                "With --fleet: publishes it once on the broker the gateways use upstream; every gateway whose tags match "
                        + "--target takes it up, applies it and reports; progress per gateway, a summary at the end.",
                "Exit status: 0 when applied and healthy (on every targeted gateway), 1 when refused, rolled back or "
                        + "not answered in time (every reason printed), 2 on a usage error."},
        footer = {"", "Examples:", "  edgefn deploy --data-dir D deployment.json",
                "  edgefn deploy --gateway https://gw.local:8443 --token T --ca gateway-ca.pem deployment.json",
                "  edgefn deploy deployment.json --fleet mqtts://broker.example:8883 --fleet-auth @fleet.auth --target site=north"})
final class DeployCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ManagementTarget target;

    @Mixin
    io.edgefn.app.fleet.FleetOptions fleet;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "How long to wait for the host's answer, health gate included (default ${DEFAULT-VALUE} s).")
    int timeoutSeconds;

    @Parameters(paramLabel = "DEPLOYMENT", description = "The deployment document (JSON).")
    Path deployment;

    @Override
    public Integer call() throws Exception {
        if (fleet.active()) { // no --data-dir or --gateway: the gateways are reached through the broker
            return io.edgefn.app.fleet.FleetRollout.run(deployment, fleet, Duration.ofSeconds(timeoutSeconds), System.out,
                    System.console() != null);
        }
        Deployment parsed = Deployment.read(deployment); // every problem of the document, before the host is asked
        PackageHashes.verify(parsed);
        byte[] document = Files.readAllBytes(deployment);
        ManagementTarget.Resolved host = target.resolve(spec);
        String base = URLEncoder.encode(parsed.baseDirectory().toString(), StandardCharsets.UTF_8);
        try {
            ManagementTarget.Answer answer = ManagementTarget.call(host, "POST", "/deployments?base=" + base, document,
                    Duration.ofSeconds(timeoutSeconds));
            return ManagementTarget.printOutcome("deploy", host, answer);
        } catch (ManagementTarget.Unreachable e) {
            System.err.println("edgefn deploy: " + e.getMessage());
            return 1;
        }
    }
}
