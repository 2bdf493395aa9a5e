package io.edgefn.benchmarks.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A benchmark's saved run: what it measured, with the command that ran it and the machine it ran
 * on, written by the benchmark itself as JSON into {@code benchmarks/results/}. A full run writes
 * {@code <bench>.json} (the newest run, which the README quotes) and
 * {@code runs/<utc-time>-<bench>.json} (every run, kept); a {@code --quick} run writes only under
 * {@code quick/}, which is not committed. Files are written to a temporary name and moved into
 * place, so a reader never sees half a result.
 *
 * <p>The results folder is {@code $EDGEFN_BENCH_RESULTS} when set, else
 * {@code <edgefn.home>/benchmarks/results} ({@code edgefn.home} is set by the {@code ./edgefn}
 * launcher), else {@code benchmarks/results} under the working directory. Stateless; each call
 * does blocking file I/O.
 */
public final class ResultFile {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private ResultFile() {
    }

    /**
     * Saves one run of {@code bench} and returns the file the README may quote (under
     * {@code quick/} for a quick run).
     *
     * @param bench the benchmark's name ({@code buffer}, {@code loop}, {@code routes}…)
     * @param args the arguments it ran with, after {@code edgefn bench <bench>}
     * @param quick whether this was a {@code --quick} run (not committed)
     * @param machine the machine, described when the run started
     * @param startedAt when the run started
     * @param result what the run measured: its last printed JSON object, as plain values
     */
    public static Path save(String bench, List<String> args, boolean quick, MachineInfo machine, Instant startedAt,
                            Map<String, ?> result) {
        return save(resultsDirectory(), bench, args, quick, machine, startedAt, Instant.now(), result);
    }

    /**
     * Saves a run whose result is the JSON object {@code jsonLine} (what the benchmark printed last),
     * with the machine described at {@code startedAt} for the disk holding {@code directory}.
     * Returns the file written.
     */
    public static Path saveJson(String bench, String[] args, MachineInfo machine, Instant startedAt, String jsonLine) {
        List<String> list = List.of(args);
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> result = new ObjectMapper().readValue(jsonLine, Map.class);
            return save(bench, list, list.contains("--quick"), machine, startedAt, result);
        } catch (IOException e) {
            throw new IllegalArgumentException("the " + bench + " result is not one JSON object: " + e.getMessage(), e);
        }
    }

    /** As {@link #save(String, List, boolean, MachineInfo, Instant, Map)} into {@code folder}. */
    static Path save(Path folder, String bench, List<String> args, boolean quick, MachineInfo machine,
                     Instant startedAt, Instant endedAt, Map<String, ?> result) {
        if (!bench.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("benchmark name '" + bench + "' must be lower-case letters, digits, '-'");
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", bench);
        doc.put("command", "./edgefn bench " + bench + (args.isEmpty() ? "" : " " + String.join(" ", args)));
        doc.put("quick", quick);
        doc.put("startedAt", startedAt.toString());
        doc.put("endedAt", endedAt.toString());
        doc.put("commit", commit());
        doc.put("machine", machine.toMap());
        doc.put("loadAverageAtEnd", MachineInfo.loadAverageNow());
        doc.put("result", result);
        try {
            byte[] bytes = (JSON.writeValueAsString(doc) + "\n").getBytes(StandardCharsets.UTF_8);
            if (quick) {
                Path file = folder.resolve("quick").resolve(bench + ".json");
                write(file, bytes);
                return file;
            }
            write(folder.resolve("runs").resolve(STAMP.format(startedAt) + "-" + bench + ".json"), bytes);
            Path latest = folder.resolve(bench + ".json");
            write(latest, bytes);
            return latest;
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the " + bench + " results under " + folder + ": "
                    + e.getMessage(), e);
        }
    }

    /** Where results go: see the class comment. */
    public static Path resultsDirectory() {
        String env = System.getenv("EDGEFN_BENCH_RESULTS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String home = System.getProperty("edgefn.home");
        return (home == null ? Path.of("") : Path.of(home)).resolve("benchmarks").resolve("results").toAbsolutePath();
    }

    /** The checked-out commit under {@code edgefn.home} (with {@code +dirty} when sources differ), or {@code null}. */
    static String commit() {
        String home = System.getProperty("edgefn.home");
        if (home == null) {
            return null;
        }
        try {
            Process p = new ProcessBuilder("git", "-C", home, "describe", "--always", "--dirty=+dirty", "--abbrev=12")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 && !out.isEmpty() ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
