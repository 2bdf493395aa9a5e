package io.edgefn.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgefn rollback [--to VERSION]}: applies an earlier deployment of a running host's history
 * live ({@code POST /deployments/rollback}), health gate included: without {@code --to}, the one
 * applied before the current one. Exit 0 when applied, 1 with every reason otherwise, 2 on a usage
 * error.
 */
@Command(name = "rollback", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Goes back live to an earlier deployment of the host's history (see edgefn deployments): "
                + "the latest applied one labelled --to VERSION, or without --to the one before the current one.",
                "Exit status: 0 when applied and healthy, 1 when refused or rolled back, 2 on a usage error."})
final class RollbackCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ManagementTarget target;

    @Option(names = "--to", paramLabel = "VERSION", description = "The deployment version to go back to.")
    String to;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "How long to wait for the host's answer, health gate included (default ${DEFAULT-VALUE} s).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        ManagementTarget.Resolved host = target.resolve(spec);
        String body = new ObjectMapper().createObjectNode().put("to", to).toString();
        try {
            ManagementTarget.Answer answer = ManagementTarget.call(host, "POST", "/deployments/rollback",
                    body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(timeoutSeconds));
            return ManagementTarget.printOutcome("rollback", host, answer);
        } catch (ManagementTarget.Unreachable e) {
            System.err.println("edgefn rollback: " + e.getMessage());
            return 1;
        }
    }
}
