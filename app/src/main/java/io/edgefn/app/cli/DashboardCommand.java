package io.edgefn.app.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code edgefn dashboard}: a one-time login link to the running host's live dashboard. Asks the
 * host (with the data directory's management token) for a login code, prints
 * {@code http(s)://127.0.0.1:PORT/dashboard/login?code=…} on stdout and exits; the link works
 * once, within a minute, and trades the code for a session cookie, so the token itself never
 * reaches the browser. {@code --open} also hands the link to the desktop's browser.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Prints a one-time login link to the running host's live dashboard (functions, routes, devices, "
                + "buffer, control loop, recent problems) and exits.",
                "The link works once, within 60 s; the browser then holds a session cookie. The host serves the page "
                        + "itself: nothing is loaded from the internet."})
final class DashboardCommand implements Callable<Integer> {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--open", description = "Also open the link in a browser (xdg-open on Linux, open on macOS).")
    boolean open;

    @Override
    public Integer call() throws IOException, InterruptedException {
        ManagementTarget.Resolved api;
        try {
            HostDataDir dir = HostDataDir.find(dataDir.resolve());
            if (!dir.hostRunning()) {
                System.err.println("edgefn dashboard: no edgefn host is running on " + dir.describe() + "; start one with "
                        + "'edgefn run --data-dir " + dir.root() + " …', or name the right directory with --data-dir");
                return 1;
            }
            api = ManagementTarget.fromDataDir(dir);
        } catch (IllegalArgumentException e) {
            System.err.println("edgefn dashboard: " + e.getMessage());
            return 1;
        }
        ManagementTarget.Answer answer;
        try {
            answer = ManagementTarget.call(api, "POST", "/dashboard/login-codes", null, TIMEOUT);
        } catch (ManagementTarget.Unreachable e) {
            System.err.println("edgefn dashboard: " + e.getMessage());
            return 1;
        }
        if (answer.status() != 201 || !answer.body().path("path").isTextual()) {
            System.err.println("edgefn dashboard: " + api.name() + " gave no login code (HTTP " + answer.status() + ")"
                    + (answer.status() == 404 ? ": it is older than the dashboard" : ": " + answer.text()));
            return 1;
        }
        String link = api.base() + answer.body().path("path").asText();
        System.out.println(link);
        System.err.println("edgefn dashboard: the link works once, within " + answer.body().path("expiresInSeconds").asInt(60)
                + " s" + (api.base().getScheme().equals("https")
                ? "; the browser will not know the gateway's CA ('edgefn certs export' prints it) and warns before the page"
                : ""));
        if (open) {
            openBrowser(link);
        }
        return 0;
    }

    /** Hands {@code link} to the desktop's opener; says so on stderr when there is none or it fails. */
    private static void openBrowser(String link) throws InterruptedException {
        boolean mac = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");
        String opener = mac ? "open" : "xdg-open";
        try {
            Process p = new ProcessBuilder(List.of(opener, link)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                return; // some openers stay with the browser; the link is on its way
            }
            if (p.exitValue() != 0) {
                System.err.println("edgefn dashboard: " + opener + " could not open a browser (exit " + p.exitValue()
                        + "); open the link above yourself");
            }
        } catch (IOException e) {
            System.err.println("edgefn dashboard: --open found no '" + opener + "' to start a browser with"
                    + (mac ? "" : " (install xdg-utils, or run this on a desktop)") + "; open the link above yourself");
        }
    }
}
