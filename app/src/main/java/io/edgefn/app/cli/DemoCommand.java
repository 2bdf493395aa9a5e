package io.edgefn.app.cli;

import io.edgefn.app.demo.DemoScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgefn demo}: the downhole pump scenario, end to end, in one command. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the downhole pump scenario end to end: a pump MCU on a serial line, analytics, "
                        + "anomaly detection and a shutdown function, connected by routes.",
                "Prints the story as it happens and a summary."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "20",
            description = "How long to run (default ${DEFAULT-VALUE} s).")
    double durationSeconds;

    @Option(names = "--json", description = "Also print the summary as one JSON object on the last line of stdout.")
    boolean json;

    @Option(names = "--port", paramLabel = "PORT",
            description = "Drive a real MCU (or another simulator) on this serial port instead of starting a simulator.")
    String port;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where to keep the demo's state (default: a fresh temporary folder).")
    Path dataDir;

    @Option(names = "--verbose", description = "Also show the host's log lines (on stderr).")
    boolean verbose;

    @Option(names = "--js", description = "Run the anomaly detector written in JavaScript (GraalJS, sandboxed) instead of Java.")
    boolean js;

    @Override
    public Integer call() throws Exception {
        if (!(durationSeconds > 0) || durationSeconds > 86_400) {
            throw new IllegalArgumentException("--duration must be between 0 and 86400 seconds, was " + durationSeconds);
        }
        new DemoScenario(new DemoScenario.Options(Duration.ofMillis((long) (durationSeconds * 1000)), json, port, dataDir, verbose, js),
                System.out).run();
        return 0;
    }
}
