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
 * then every local package jar the host's store lacks is uploaded ({@code PUT /packages/{sha256}}),
 * and the document is sent as it is — a signature stays valid — with the directory its relative
 * package files resolve against (right when the host runs on this machine; a host elsewhere takes
 * the uploaded jars by their hashes). With {@code --fleet} it rolls
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
            document = uploadMissingPackages(host, parsed, document);
            ManagementTarget.Answer answer = ManagementTarget.call(host, "POST", "/deployments?base=" + base, document,
                    Duration.ofSeconds(timeoutSeconds));
            return ManagementTarget.printOutcome("deploy", host, answer);
        } catch (ManagementTarget.Unreachable e) {
            System.err.println("edgefn deploy: " + e.getMessage());
            return 1;
        } catch (UploadFailed e) {
            System.err.println("edgefn deploy: " + e.getMessage());
            return 1;
        }
    }

    /** A package the host did not take. */
    private static final class UploadFailed extends Exception {
        UploadFailed(String message) {
            super(message);
        }
    }

    /**
     * Sends the host every local package jar its content-addressed store lacks ({@code GET} then
     * {@code PUT /packages/{sha256}}), so a gateway on another machine runs packages it has never
     * seen as files. Returns the document to send: unchanged, except that an unsigned document whose
     * packages lack their {@code sha256} gets them (the host finds an uploaded jar by its hash; a
     * signed document must carry them already, see {@code edgefn sign}).
     */
    private static byte[] uploadMissingPackages(ManagementTarget.Resolved host, Deployment parsed, byte[] document)
            throws ManagementTarget.Unreachable, UploadFailed, java.io.IOException {
        com.fasterxml.jackson.databind.node.ObjectNode withHashes = null;
        for (io.edgefn.deploy.PackageRef ref : parsed.packages().values()) {
            if (ref.file() == null) {
                continue; // fetched by the host from its url
            }
            Path file = parsed.resolve(ref);
            if (!Files.isRegularFile(file)) {
                continue; // the host may hold it by its declared hash; it names the problem otherwise
            }
            String sha = ref.sha256() != null ? ref.sha256() : PackageHashes.sha256(file);
            if (ref.sha256() == null && parsed.signature() == null) {
                if (withHashes == null) {
                    withHashes = parsed.document();
                }
                ((com.fasterxml.jackson.databind.node.ObjectNode) withHashes.path("packages").path(ref.name())).put("sha256", sha);
            }
            ManagementTarget.Answer there = ManagementTarget.call(host, "GET", "/packages/" + sha, null, Duration.ofSeconds(60));
            if (there.status() == 200) {
                continue;
            }
            if (there.status() == 401) {
                throw new UploadFailed("the token was refused by " + host.name() + ": " + there.text().trim());
            }
            if (there.status() != 404) {
                throw new UploadFailed("cannot ask " + host.name() + " for package " + ref.name() + ": status "
                        + there.status() + " " + there.text().trim());
            }
            ManagementTarget.Answer put = ManagementTarget.call(host, "PUT", "/packages/" + sha, Files.readAllBytes(file),
                    Duration.ofMinutes(5));
            if (put.status() != 201) {
                throw new UploadFailed("package " + ref.name() + " (" + file + ") was not taken by " + host.name() + ": status "
                        + put.status() + " " + put.text().trim());
            }
            System.err.println("uploaded package " + ref.name() + " (" + sha + ") to " + host.name());
        }
        return withHashes == null ? document
                : (withHashes.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
