package io.edgefn.runtime;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures {@code System.out} (and optionally {@code System.err}) while a command runs in-process,
 * restoring the originals on {@link #close()}. Thread-safe for writers, as PrintStream is.
 */
final class StdoutCapture implements AutoCloseable {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;

    private StdoutCapture(boolean alsoStderr) {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        if (alsoStderr) {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        }
    }

    /** Starts capturing standard output. */
    static StdoutCapture stdout() {
        return new StdoutCapture(false);
    }

    /** Starts capturing standard output and standard error. */
    static StdoutCapture stdoutAndStderr() {
        return new StdoutCapture(true);
    }

    /** What was printed to standard output so far. */
    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What was printed to standard error so far (empty unless captured). */
    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The last non-empty line printed to standard output. */
    String lastLine() {
        String[] lines = out().trim().split("\n");
        return lines[lines.length - 1];
    }

    @Override
    public void close() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }
}
