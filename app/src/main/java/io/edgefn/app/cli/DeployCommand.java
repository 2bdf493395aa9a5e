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
 * resolve against, which is right when the host runs on this machine.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Applies a deployment to a running host live and waits for its health gate: new and changed "
                + "functions start beside the old ones, the routes swap in one step, unchanged functions keep running.",
                "Exit status: 0 when applied and healthy, 1 when refused or rolled back (every reason printed), 2 on a usage error."},
        footer = {"", "Examples:", "  edgefn deploy --data-dir D deployment.json",
                "  edgefn deploy --gateway http://localhost:8443 --token T deployment.json"})
final class DeployCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ManagementTarget target;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "How long to wait for the host's answer, health gate included (default ${DEFAULT-VALUE} s).")
    int timeoutSeconds;

    @Parameters(paramLabel = "DEPLOYMENT", description = "The deployment document (JSON).")
    Path deployment;

    @Override
    public Integer call() throws Exception {
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
