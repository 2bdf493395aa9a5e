package io.edgefn.benchmarks.footprint;

import io.edgefn.benchmarks.ChildProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A JVM the footprint benchmark measures: started as a process of its own, timed from just before
 * the start to the moment its ready line is read from its standard output, its resident memory
 * read from {@code /proc/<pid>/status}. Standard error goes to a log file; standard output is
 * kept draining after the ready line, so the process never blocks on a full pipe.
 *
 * <p>Not thread-safe: one benchmark thread drives it.
 */
final class MeasuredProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final String readyLine;
    private final long readyNanos;

    private MeasuredProcess(String name, Process process, Path log, String readyLine, long readyNanos) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.readyLine = readyLine;
        this.readyNanos = readyNanos;
    }

    /**
     * Starts {@code command} and waits up to {@code timeout} for a line of its standard output
     * that {@code ready} accepts.
     *
     * @throws IllegalStateException when it exits or times out first (naming its log)
     */
    static MeasuredProcess start(String name, List<String> command, Path log, Predicate<String> ready, Duration timeout)
            throws IOException, InterruptedException {
        long startNanos = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("bench-footprint-" + name).start(() -> {
            try {
                for (String l = out.readLine(); l != null; l = out.readLine()) {
                    if (!line.isDone() && ready.test(l)) {
                        line.complete(l);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            line.complete(null);
        });
        String readyLine;
        try {
            readyLine = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s (see " + log + ")");
        }
        long readyNanos = System.nanoTime() - startNanos;
        if (readyLine == null) {
            p.waitFor(5, TimeUnit.SECONDS);
            throw new IllegalStateException(name + " exited before it was ready" + (p.isAlive() ? "" : " (status "
                    + p.exitValue() + ")") + "; the end of its log " + log + ":\n" + tail(log));
        }
        return new MeasuredProcess(name, p, log, readyLine, readyNanos);
    }

    /** Runs {@code command} to completion (up to {@code timeout}), its output to {@code log}. */
    static void run(String name, List<String> command, Path log, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(name + " did not finish within " + timeout.toSeconds() + " s (see " + log + ")");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(name + " failed with status " + p.exitValue() + "; the end of " + log + ":\n"
                    + tail(log));
        }
    }

    /** The line that said it was ready. */
    String readyLine() {
        return readyLine;
    }

    /** Milliseconds from just before the process was started to its ready line. */
    long startMillis() {
        return TimeUnit.NANOSECONDS.toMillis(readyNanos);
    }

    /** Its resident memory now ({@code VmRSS}), in MiB. */
    double rssMb() throws IOException {
        return statusMb("VmRSS");
    }

    /**
     * One memory line of {@code /proc/<pid>/status} in MiB: {@code VmRSS}, or its parts
     * {@code RssAnon} (heap, metaspace, stacks, malloc) and {@code RssFile} (mapped files: the
     * JDK's modules, the CDS archive or AOT cache, the jar's central directory).
     */
    double statusMb(String field) throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited (status " + process.exitValue() + ") before its memory was read; "
                    + "the end of its log " + log + ":\n" + tail(log));
        }
        return ChildProcesses.statusKb(process.pid(), field).orElseThrow(
                () -> new IOException("/proc/" + process.pid() + "/status has no " + field + " line")) / 1024.0;
    }

    /** Whether its log holds {@code text}. */
    boolean logContains(String text) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8).contains(text);
    }

    /** Ends it with SIGTERM (edgefn run drains and exits), forcibly after 30 s. */
    @Override
    public void close() {
        ChildProcesses.stop(process);
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
