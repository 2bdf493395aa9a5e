package io.edgefn.app.cli;

import io.edgefn.deploy.Deployment;
import io.edgefn.deploy.DeploymentException;
import io.edgefn.deploy.PackageHashes;
import io.edgefn.deploy.DeviceEntry;
import io.edgefn.deploy.StoreAndForward;
import io.edgefn.routes.CompiledRoute;
import io.edgefn.routes.RouteCheck;
import io.edgefn.routes.RouteCompilationException;
import io.edgefn.routes.RouteSpec;
import io.edgefn.routes.RouteTable;
import io.edgefn.runtime.EdgeHost;
import io.edgefn.runtime.HostException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code edgefn route-check}: checks routes, conditions and source matches given as JSON Lines on
 * standard input, one JSON line out per line in; or a whole deployment, as {@code edgefn run}
 * checks it before any function's code runs, listing its routes; with {@code --explain}, also
 * which of its routes each message on standard input takes.
 */
@Command(name = "route-check", mixinStandardHelpOptions = true,
        description = {"Checks routes and conditions exactly as the host evaluates them.",
                "Without --deployment, it reads JSON Lines on stdin and writes one JSON line per input line "
                        + "(the format is in docs/route-check.md).",
                "With --deployment, it checks the deployment as `edgefn run` does before any function's code runs "
                        + "(the document, its packages, store-and-forward limits, devices, modules and routes) "
                        + "and lists every route with its source, condition and sink.",
                "With --deployment and --explain, it also reads messages on stdin, one JSON line each, "
                        + "and says which routes each one takes and why the others do not."})
final class RouteCheckCommand implements Callable<Integer> {

    @Option(names = "--explain",
            description = "Explain for a person, instead of answering in JSON, which routes each input line's message "
                    + "takes and why the others do not.")
    boolean explain;

    @Option(names = "--deployment", paramLabel = "FILE",
            description = "Check this deployment as `edgefn run` would, and list its routes; exit 1 on any problem.")
    Path deployment;

    @Override
    public Integer call() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
        if (deployment != null) {
            return checkDeployment(in, out);
        }
        if (explain) {
            RouteCheck.explain(in, out);
        } else {
            RouteCheck.run(in, out);
        }
        out.flush();
        return 0;
    }

    private int checkDeployment(BufferedReader in, Writer writer) {
        PrintWriter out = new PrintWriter(writer, true);
        Deployment parsed;
        RouteTable table;
        try {
            parsed = Deployment.read(deployment);
            PackageHashes.verify(parsed); // before anything else, as run does
        } catch (DeploymentException e) {
            out.println(e.getMessage());
            return 1;
        }
        if (parsed.signature() != null) {
            // Never silently ignored: route-check has no gateway's trusted keys to check it against.
            out.println(deployment + ": signed by " + parsed.signature().keyId() + "; a gateway checks the signature"
                    + " against the keys it trusts (edgefn trust list)");
        }
        try {
            // What run checks before any user code runs: the packages (opened and verified, as
            // run verifies its staged copies), names across packages and modules, the routes.
            table = EdgeHost.checkRoutes(parsed);
        } catch (HostException e) {
            out.println(e.getMessage());
            return 1;
        } catch (RouteCompilationException e) {
            printRouteProblems(out, parsed, e);
            return 1;
        }
        out.println(deployment + ": " + parsed.routes().size() + (parsed.routes().size() == 1 ? " route OK" : " routes OK"));
        table.warnings().forEach(w -> out.println("warning: " + w));
        printSummary(out, parsed, table);
        if (explain) {
            out.println();
            RouteCheck.explain(in, writer, table);
        }
        out.flush();
        return 0;
    }

    private void printRouteProblems(PrintWriter out, Deployment parsed, RouteCompilationException e) {
        out.println(deployment + ": " + e.diagnostics().size() + " problem(s) in routes:");
        Map<String, String> texts = new HashMap<>();
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
    }

    /** Every route with its source, condition and sink, then the functions, devices and buffer it uses. */
    private static void printSummary(PrintWriter out, Deployment parsed, RouteTable table) {
        out.println("routes:");
        for (CompiledRoute r : table.routes()) {
            out.println("  " + r.name());
            out.println("    source     " + r.source());
            out.println("    condition  " + (r.conditionText() == null || r.conditionText().isBlank()
                    ? "none (every message from the source)" : r.conditionText()));
            out.println("    sink       " + r.sink().address());
            StringBuilder delivery = new StringBuilder("    delivery   priority ")
                    .append(r.priority() == RouteSpec.DEFAULT_PRIORITY ? "default" : Integer.toString(r.priority()));
            if (r.timeToLiveSecs() > 0) {
                delivery.append(", time to live ").append(r.timeToLiveSecs()).append(" s");
            }
            if (r.durable()) {
                delivery.append(", durable");
            }
            out.println(delivery);
        }
        parsed.packages().values().forEach(p -> out.println("package " + p.name() + ": "
                + (p.file() != null ? p.file() : p.url()) + " (verified)"));
        parsed.modules().values().forEach(m -> out.println("module " + m.id() + ": inputs "
                + (m.inputs().isEmpty() ? "(none declared)" : String.join(", ", m.inputs()))));
        for (DeviceEntry d : parsed.devices().values()) {
            out.println("device " + d.id() + ": " + d.driver() + " on " + d.port() + " at " + d.baud() + " baud"
                    + (d.failSafeMillis() == null ? "" : ", fail-safe after " + d.failSafeMillis() + " ms"));
        }
        StoreAndForward s = parsed.storeAndForward();
        out.println("store and forward: messages kept " + s.timeToLiveSecs() + " s, at most "
                + (s.maxBytes() == null ? "1 GiB (the default)" : s.maxBytes() + " bytes") + ", when full " + s.fullPolicy());
    }
}
