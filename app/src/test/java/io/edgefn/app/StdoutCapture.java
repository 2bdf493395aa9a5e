package io.edgefn.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures {@code System.out} (and optionally {@code System.err}) while a command runs in-process,
 * restoring the originals on {@link #close()}. Use it in a try-with-resources block, or as a JUnit
 * extension ({@code @RegisterExtension}) that captures around each test. Thread-safe for writers,
 * as PrintStream is.
 */
final class StdoutCapture implements AutoCloseable, BeforeEachCallback, AfterEachCallback {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final boolean alsoStderr;
    private PrintStream originalOut;
    private PrintStream originalErr;

    private StdoutCapture(boolean alsoStderr) {
        this.alsoStderr = alsoStderr;
    }

    /** Starts capturing standard output now. */
    static StdoutCapture stdout() {
        return new StdoutCapture(false).start();
    }

    /** Starts capturing standard output and standard error now. */
    static StdoutCapture stdoutAndStderr() {
        return new StdoutCapture(true).start();
    }

    /** A capture of standard output around each test, for {@code @RegisterExtension}. */
    static StdoutCapture stdoutPerTest() {
        return new StdoutCapture(false);
    }

    /** A capture of standard output and standard error around each test, for {@code @RegisterExtension}. */
    static StdoutCapture stdoutAndStderrPerTest() {
        return new StdoutCapture(true);
    }

    private StdoutCapture start() {
        out.reset();
        err.reset();
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        if (alsoStderr) {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        }
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
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
