package io.edgefn.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * What the benchmarks do with the processes they start (a gateway, a footprint subject): stop one
 * the way a supervisor would, and read a line of its {@code /proc/<pid>/status}. Stateless; each
 * call blocks (a stop for up to 30 s).
 */
public final class ChildProcesses {

    private ChildProcesses() {
    }

    /**
     * Stops {@code process} with SIGTERM ({@code edgefn run} drains and exits), forcibly after
     * 30 s or when the calling thread is interrupted (the interrupt is kept).
     */
    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /**
     * The kibibytes of one memory line ({@code VmRSS}, {@code VmHWM}, {@code RssAnon}…) of
     * {@code /proc/<pid>/status}, or empty when the file has no such line.
     *
     * @throws IOException when the file cannot be read (no {@code /proc}, the process is gone)
     */
    public static OptionalLong statusKb(long pid, String field) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(field + ":")) {
                return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
            }
        }
        return OptionalLong.empty();
    }
}
