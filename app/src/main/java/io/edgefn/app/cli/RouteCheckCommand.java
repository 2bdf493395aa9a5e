package io.edgefn.app.cli;

import io.edgefn.deploy.Deployment;
import io.edgefn.routes.RouteCheck;
import io.edgefn.routes.RouteCompilationException;
import io.edgefn.routes.RouteTable;
import io.edgefn.runtime.EdgeHost;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgefn route-check}: checks routes, conditions and source matches given as JSON Lines on
 * standard input, one JSON line out per line in; or every route of a deployment.
 */
@Command(name = "route-check", mixinStandardHelpOptions = true,
        description = {"Checks routes and conditions exactly as the host evaluates them.",
                "Reads JSON Lines on stdin and writes one JSON line per input line (see docs/route-check.md).",
                "With --deployment, checks every route of a deployment against its functions and modules."})
final class RouteCheckCommand implements Callable<Integer> {

    @Option(names = "--explain", description = "Print, for a person, which routes matched a message and why others did not.")
    boolean explain;

    @Option(names = "--deployment", paramLabel = "FILE", description = "Check every route of this deployment; exit 1 on any error.")
    Path deployment;

    @Override
    public Integer call() throws Exception {
        if (deployment != null) {
            return checkDeployment();
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
        if (explain) {
            RouteCheck.explain(in, out);
        } else {
            RouteCheck.run(in, out);
        }
        out.flush();
        return 0;
    }

    private int checkDeployment() {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        Deployment parsed = Deployment.read(deployment);
        try {
            RouteTable table = EdgeHost.checkRoutes(parsed);
            out.println(deployment + ": " + parsed.routes().size() + " routes OK");
            table.warnings().forEach(w -> out.println("warning: " + w));
            return 0;
        } catch (RouteCompilationException e) {
            out.println(deployment + ": " + e.diagnostics().size() + " problem(s) in routes:");
            java.util.Map<String, String> texts = new java.util.HashMap<>();
            parsed.routes().forEach(r -> texts.put(r.name(), r.text()));
            for (var d : e.diagnostics()) {
                out.println("  " + d);
                String text = texts.get(d.routeName());
                if (text != null && d.line() == 1 && d.column() >= 1 && !text.contains("\n")) {
                    // The route and a caret under the problem, as a compiler shows it.
                    out.println("    " + text);
                    out.println("    " + " ".repeat(d.column() - 1) + "^");
                }
            }
            return 1;
        }
    }
}
