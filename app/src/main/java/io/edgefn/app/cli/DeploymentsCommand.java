package io.edgefn.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgefn deployments}: a running host's deployment history ({@code GET /deployments}),
 * oldest first, the current one marked. Exit 0, or 1 when no host answered.
 */
@Command(name = "deployments", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lists a running host's deployment history, oldest first: the one it started with, then every one "
                + "applied since (rolled-back ones with their reasons); * marks the current one."})
final class DeploymentsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ManagementTarget target;

    @Option(names = "--json", description = "Print the raw JSON: {\"current\": …, \"history\": […]}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ManagementTarget.Resolved host = target.resolve(spec);
        ManagementTarget.Answer answer;
        try {
            answer = ManagementTarget.call(host, "GET", "/deployments", null, Duration.ofSeconds(30));
        } catch (ManagementTarget.Unreachable e) {
            System.err.println("edgefn deployments: " + e.getMessage());
            return 1;
        }
        if (answer.status() != 200) {
            System.err.println("edgefn deployments: " + ManagementTarget.refusal(host, answer));
            return 1;
        }
        if (json) {
            System.out.println(answer.text());
            return 0;
        }
        long current = answer.body().path("current").path("sequence").asLong(-1);
        System.out.printf("  %-4s %-20s %-12s %-25s %s%n", "#", "VERSION", "STATE", "APPLIED AT", "DOCUMENT");
        for (JsonNode r : answer.body().path("history")) {
            System.out.printf("%s %-4d %-20s %-12s %-25s %s%n", r.path("sequence").asLong() == current ? "*" : " ",
                    r.path("sequence").asLong(), r.path("version").isTextual() ? r.path("version").asText() : "-",
                    r.path("state").asText(), r.path("appliedAt").asText(), r.path("documentSha256").asText().substring(0, 12));
            r.path("reasons").forEach(reason -> System.out.println("         " + reason.asText()));
        }
        return 0;
    }
}
