package io.edgefn.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefn.app.cli.EdgefnCommand;
import java.util.List;

/**
 * What one {@code edgefn} command run in-process printed on standard output and standard error,
 * and its exit status; for the tests of commands that end on their own.
 */
record CliRun(int status, String out, String err) {

    /** Runs {@code edgefn args…} in this JVM, capturing its output. */
    static CliRun run(String... args) {
        try (StdoutCapture capture = StdoutCapture.stdoutAndStderr()) {
            int status = EdgefnCommand.execute(args);
            return new CliRun(status, capture.out(), capture.err());
        }
    }

    /** As {@link #run}, asserting exit status 0 (the failure shows stderr). */
    static CliRun ok(String... args) {
        CliRun run = run(args);
        assertThat(run.status()).as("exit status of %s; stderr: %s", List.of(args), run.err()).isZero();
        return run;
    }
}
