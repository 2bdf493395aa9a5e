package io.edgefn.app.fleet;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The fleet options of {@code edgefn deploy} and {@code edgefn fleet-deploy} (a picocli
 * {@code @Mixin}): which broker, its credentials, which gateways. How long to wait is the
 * command's own {@code --timeout}, passed to {@link FleetRollout#run} ({@code deploy} has one
 * already). Filled by picocli on the command's thread; read once by {@link FleetRollout}.
 */
public final class FleetOptions {

    @Option(names = "--fleet", paramLabel = "URL",
            description = "Publish the deployment to every matching gateway through this broker (mqtt://host:port or "
                    + "mqtts://host:port): the broker the gateways use as --upstream.")
    String fleet;

    @Option(names = "--fleet-auth", paramLabel = "@FILE",
            description = "The broker credentials, in the --upstream-auth file format (owner-only: username=/password=, "
                    + "certificate=/privateKey=, ca=). Default: $EDGEFN_UPSTREAM_AUTH.")
    String fleetAuth;

    @Option(names = "--target", paramLabel = "KEY=VALUE",
            description = "Only gateways tagged KEY=VALUE (edgefn run --tag); repeatable: every key must match, "
                    + "a key given twice matches either value. Default: every gateway.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--expect", paramLabel = "N",
            description = "Wait until at least N matching gateways have announced themselves before publishing "
                    + "(default: the ones announced on the broker now, at least one).")
    int expect;

    /** Whether {@code --fleet} was given: {@code edgefn deploy} then rolls out to the fleet. */
    public boolean active() {
        return fleet != null;
    }

    /** {@code --fleet}, or null. */
    public String broker() {
        return fleet;
    }

    /** {@code --fleet-auth}, or null. */
    public String auth() {
        return fleetAuth;
    }

    /** The {@code --target} pairs as given. */
    public List<String> targets() {
        return List.copyOf(targets);
    }

    /** {@code --expect}, 0 when not given. */
    public int expect() {
        return expect;
    }
}
