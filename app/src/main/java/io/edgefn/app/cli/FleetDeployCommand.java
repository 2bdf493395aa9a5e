package io.edgefn.app.cli;

import io.edgefn.app.fleet.FleetOptions;
import io.edgefn.app.fleet.FleetRollout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code edgefn fleet-deploy DEPLOYMENT --fleet URL [--target KEY=VALUE]…}: rolls a deployment out
 * to every matching gateway through the broker they use upstream and waits for their answers
 * ({@link FleetRollout}). The same as {@code edgefn deploy DEPLOYMENT --fleet URL}.
 */
@Command(name = "fleet-deploy", mixinStandardHelpOptions = true,
        description = {"Publishes a deployment to every gateway whose tags match, through the broker they use upstream, "
                + "and waits until each applied it, refused it, or --timeout passed.",
                "Exit 0 only when every targeted gateway applied it (health gate passed)."})
final class FleetDeployCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DEPLOYMENT", description = "The deployment document (JSON); its package files go inline.")
    Path deployment;

    @Mixin
    FleetOptions fleet;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long to wait for every targeted gateway's answer, health gate included (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        return FleetRollout.run(deployment, fleet, Duration.ofSeconds(timeoutSeconds), System.out, System.console() != null);
    }
}
