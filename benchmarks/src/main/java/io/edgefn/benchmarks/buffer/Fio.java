package io.edgefn.benchmarks.buffer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The disk's own limit for a group-committing log, measured by Debian's {@code fio}: one
 * {@code pwrite} of a whole group followed by one {@code fdatasync}, over and over, in the
 * benchmark's directory ({@code --rw=write --ioengine=psync --bs=<group> --fdatasync=1}). Two jobs:
 * a fresh file that grows with every write (what a new log segment does) and a file laid out
 * beforehand and overwritten in place (the best case); the bench takes the better. Stateless apart
 * from the files it creates; every method blocks.
 */
final class Fio {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One fio job's result.
     *
     * @param job            {@code growing} or {@code preallocated}
     * @param blockBytes     bytes per write (one group)
     * @param writesPerSec   writes completed per second, each followed by an fdatasync
     * @param writes         writes completed
     * @param runtimeMillis  how long the job ran
     * @param fdatasyncMeanMicros the mean fdatasync latency
     */
    record Run(String job, int blockBytes, double writesPerSec, long writes, long runtimeMillis,
               double fdatasyncMeanMicros) {
    }

    private Fio() {
    }

    /**
     * The {@code fio} executable: found on the PATH, else installed with {@code apt-get install -y fio}
     * (as root, or through {@code sudo -n}) as {@code scripts/test} installs socat.
     *
     * @throws IllegalStateException saying how to install it when it is missing and cannot be installed
     */
    static String ensureInstalled(PrintStream log) throws InterruptedException {
        Optional<String> found = onPath("fio");
        if (found.isPresent()) {
            return found.get();
        }
        boolean root = "0".equals(command("id", "-u").trim());
        List<String> prefix = root ? List.of() : List.of("sudo", "-n");
        log.println("fio is not installed; installing it with " + String.join(" ", prefix)
                + (root ? "" : " ") + "apt-get install -y fio (it measures the disk's own fsync limit)");
        List<String> install = new ArrayList<>(prefix);
        install.addAll(List.of("apt-get", "install", "-y", "-q", "fio"));
        if (run(install) != 0) {
            List<String> update = new ArrayList<>(prefix);
            update.addAll(List.of("apt-get", "update", "-q"));
            run(update);
            run(install);
        }
        return onPath("fio").orElseThrow(() -> new IllegalStateException(
                "edgefn bench buffer needs fio to measure the disk's own limit, and it is not installed and "
                        + "could not be installed (" + (root ? "apt-get install -y fio failed"
                        : "not root, and sudo -n apt-get install -y fio failed") + "); install it with "
                        + "'sudo apt-get install fio' and run the bench again"));
    }

    /**
     * Runs one job in {@code dir} for about {@code seconds}: {@code preallocated} overwrites a
     * {@code sizeBytes} file laid out beforehand (kept between rounds as {@code fio-preallocated});
     * otherwise a fresh file grows from empty and is deleted after.
     */
    static Run run(String fio, Path dir, int blockBytes, int seconds, boolean preallocated, long sizeBytes)
            throws IOException, InterruptedException {
        Path file = dir.resolve(preallocated ? "fio-preallocated" : "fio-growing");
        if (!preallocated) {
            Files.deleteIfExists(file);
        }
        List<String> cmd = command(fio, file, blockBytes, seconds, preallocated, sizeBytes);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        byte[] err = new byte[0];
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            err = p.getErrorStream().readAllBytes();
        } finally {
            int status = p.waitFor();
            if (!preallocated) {
                Files.deleteIfExists(file);
            }
            if (status != 0) {
                throw new IOException("fio failed (exit " + status + "): " + String.join(" ", cmd) + "\n"
                        + new String(err, StandardCharsets.UTF_8).strip());
            }
        }
        return parse(out, preallocated ? "preallocated" : "growing");
    }

    /** The fio command line for one job; see {@link #run}. */
    static List<String> command(String fio, Path file, int blockBytes, int seconds, boolean preallocated, long sizeBytes) {
        List<String> cmd = new ArrayList<>(List.of(fio,
                "--name=" + (preallocated ? "preallocated" : "growing"),
                "--filename=" + file.toAbsolutePath(),
                "--rw=write", "--ioengine=psync", "--bs=" + blockBytes, "--fdatasync=1",
                "--size=" + sizeBytes, "--runtime=" + seconds, "--output-format=json"));
        if (preallocated) {
            // Written in full before the job, then overwritten in place, round after round.
            cmd.addAll(List.of("--overwrite=1", "--time_based"));
        } else {
            // No fallocate, no ftruncate: each write extends the file, as appending to a new segment does.
            cmd.add("--fallocate=none");
        }
        return cmd;
    }

    /**
     * Reads fio's {@code --output-format=json} report (anything printed before the JSON object is
     * skipped) into a {@link Run}.
     *
     * @throws IOException if it is not fio's JSON, or the job reports an error or no writes
     */
    static Run parse(String output, String job) throws IOException {
        int start = output.indexOf('{');
        if (start < 0) {
            throw new IOException("fio printed no JSON report: " + abbreviate(output));
        }
        JsonNode root = JSON.readTree(output.substring(start));
        JsonNode jobs = root.path("jobs");
        if (!jobs.isArray() || jobs.isEmpty()) {
            throw new IOException("fio's JSON report has no jobs: " + abbreviate(output));
        }
        JsonNode j = jobs.get(0);
        if (j.path("error").asInt(0) != 0) {
            throw new IOException("fio's job '" + j.path("jobname").asText() + "' failed with error "
                    + j.path("error").asInt());
        }
        JsonNode write = j.path("write");
        long writes = write.path("total_ios").asLong(0);
        long runtime = write.path("runtime").asLong(0);
        if (writes <= 0 || runtime <= 0) {
            throw new IOException("fio's job '" + j.path("jobname").asText() + "' reports no writes (total_ios "
                    + writes + ", runtime " + runtime + " ms)");
        }
        long io = write.path("io_bytes").asLong(0);
        int block = (int) (io / writes);
        JsonNode opts = j.path("job options").path("bs");
        if (opts.isTextual()) {
            try {
                block = Integer.parseInt(opts.asText());
            } catch (NumberFormatException e) {
                // a size with a unit: the division above stands
            }
        }
        double syncMicros = j.path("sync").path("lat_ns").path("mean").asDouble(Double.NaN) / 1000;
        return new Run(job, block, write.path("iops").asDouble(writes * 1000.0 / runtime), writes, runtime, syncMicros);
    }

    private static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 300 ? "'" + t + "'" : "'" + t.substring(0, 300) + "…'";
    }

    private static Optional<String> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String d : path.split(File.pathSeparator)) {
            Path candidate = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        for (String d : List.of("/usr/bin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(d, name))) {
                return Optional.of(Path.of(d, name).toString());
            }
        }
        return Optional.empty();
    }

    private static int run(List<String> cmd) throws InterruptedException {
        try {
            return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start().waitFor();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String command(String... cmd) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException e) {
            return "";
        }
    }
}
