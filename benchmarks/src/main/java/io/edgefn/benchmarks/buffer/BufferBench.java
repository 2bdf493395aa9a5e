package io.edgefn.benchmarks.buffer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefn.benchmarks.results.MachineInfo;
import io.edgefn.benchmarks.results.ResultFile;
import io.edgefn.buffer.BufferOptions;
import io.edgefn.buffer.BufferedRecord;
import io.edgefn.buffer.Cursor;
import io.edgefn.buffer.OfflineBuffer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code edgefn bench buffer}: durable appends per second of edgefn's offline buffer against the
 * disk's own limit for the same group writes (fio) and against durable embedded stores configured
 * as their experts would, then replay with the segments out of the page cache and recovery after
 * SIGKILL in a fresh JVM. See {@link BufferBenchOptions#USAGE} and {@code offline-buffer/BENCHMARKS.md}.
 * Prints progress, then one JSON object as the last line, and saves it with {@link ResultFile}.
 *
 * <p>Each contender runs in a JVM of its own ({@link ContenderMain}); a round runs every contender
 * and the fio jobs once, in an order rotated by one each round; a contender's figure is its median
 * over the rounds, and each ratio is the median of the per-round ratios. Single-threaded apart from
 * the child processes.
 */
public final class BufferBench {

    /** The most records in flight at once (8 producers × 64), so the largest group possible. */
    static final int MAX_IN_FLIGHT = ContenderMain.PRODUCERS * ContenderMain.IN_FLIGHT;
    /** The physical limit's place in a round's order. */
    private static final String PHYSICAL = "physical";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BufferBench() {
    }

    /** Runs the benchmark; see the class comment for arguments. */
    public static void main(String[] args) throws Exception {
        BufferBenchOptions options;
        try {
            options = BufferBenchOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("edgefn bench buffer: " + e.getMessage());
            System.err.println(BufferBenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(BufferBenchOptions.USAGE);
            return;
        }
        Instant startedAt = Instant.now();
        Path base = options.dir() != null ? options.dir() : Path.of("/var/tmp");
        Files.createDirectories(base);
        Path work = Files.createTempDirectory(base, "edgefn-bench-buffer-");
        MachineInfo machine = MachineInfo.describe(work);
        try {
            Map<String, Object> result = run(options, work, machine, System.out);
            System.out.println(JSON.writeValueAsString(result));
            Path saved = ResultFile.save("buffer", List.of(args), options.quick(), machine, startedAt, result);
            System.err.println("saved " + saved);
        } finally {
            deleteTree(work);
        }
    }

    /** The warning for a directory in memory, where fsync proves nothing about a disk; empty otherwise. */
    static Optional<String> tmpfsWarning(MachineInfo.Disk disk) {
        if (!disk.inMemory()) {
            return Optional.empty();
        }
        return Optional.of("WARNING: " + disk.directory() + " is on " + disk.fileSystem() + " (memory): fsync "
                + "there reaches no disk, so these numbers say nothing about durability on a disk; run with "
                + "--dir on the disk you mean to measure");
    }

    private static Map<String, Object> run(BufferBenchOptions o, Path work, MachineInfo machine, PrintStream log)
            throws Exception {
        long began = System.nanoTime();
        Map<String, Object> result = new LinkedHashMap<>();
        Optional<String> warning = tmpfsWarning(machine.disk());
        warning.ifPresent(System.err::println);
        result.put("directory", work.toString());
        result.put("fileSystem", machine.disk().fileSystem());
        result.put("tmpfsWarning", warning.orElse(null));
        String fio = Fio.ensureInstalled(System.err);
        log.printf(Locale.ROOT, "buffer bench in %s (%s): %d producers x %d in flight, %d-byte records, "
                        + "%d rounds, each contender %d ms after %d ms of warm-up in its own JVM%n",
                work, machine.disk().fileSystem(), ContenderMain.PRODUCERS, ContenderMain.IN_FLIGHT,
                ContenderMain.RECORD, o.rounds(), o.run().toMillis(), o.warmup().toMillis());

        Map<Contender, List<Map<String, Object>>> runs = new EnumMap<>(Contender.class);
        List<Double> physical = new ArrayList<>();
        List<Map<String, Object>> fioRuns = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        for (Contender c : Contender.values()) {
            entries.add(c.id());
        }
        entries.add(PHYSICAL);
        long preallocatedSize = o.quick() ? 128L << 20 : 512L << 20;
        // The group fio writes is the largest the buffer wrote in round 1, where edgefn runs first and
        // the physical limit last; it stays the same in every round so that the rounds compare.
        long groupRecords = 0;
        double frameBytes = Double.NaN;
        int groupBytes = 0;
        for (int round = 0; round < o.rounds(); round++) {
            List<String> order = rotated(entries, round);
            log.printf(Locale.ROOT, "round %d of %d: %s%n", round + 1, o.rounds(), order);
            for (String entry : order) {
                if (entry.equals(PHYSICAL)) {
                    if (groupRecords == 0) {
                        Map<String, Object> first = runs.get(Contender.EDGEFN).get(0);
                        if (!(first.get("storedBytesPerRecord") instanceof Number stored)) {
                            throw new IOException("edgefn's first run failed, so the group size for fio is unknown: "
                                    + first.get("error"));
                        }
                        groupRecords = groupRecords(first);
                        frameBytes = stored.doubleValue();
                        groupBytes = (int) Math.round(groupRecords * frameBytes);
                        log.printf(Locale.ROOT, "  group for fio: edgefn's largest group in round 1, %d records of %.1f bytes "
                                        + "on disk = %d bytes per write (mean %s appends per fsync)%n", groupRecords, frameBytes,
                                groupBytes, first.get("appendsPerFsync"));
                        result.put("groupRecords", groupRecords);
                        result.put("groupBytes", groupBytes);
                        result.put("recordBytesOnDisk", frameBytes);
                    }
                    Fio.Run grow = Fio.run(fio, work, groupBytes, o.fioSeconds(), false, 64L << 30);
                    Fio.Run pre = Fio.run(fio, work, groupBytes, o.fioSeconds(), true, preallocatedSize);
                    Fio.Run best = grow.writesPerSec() >= pre.writesPerSec() ? grow : pre;
                    double limit = best.writesPerSec() * groupRecords;
                    physical.add(limit);
                    Map<String, Object> f = new LinkedHashMap<>();
                    f.put("growingWritesPerSec", round1(grow.writesPerSec()));
                    f.put("preallocatedWritesPerSec", round1(pre.writesPerSec()));
                    f.put("growingFdatasyncMeanMicros", round1(grow.fdatasyncMeanMicros()));
                    f.put("preallocatedFdatasyncMeanMicros", round1(pre.fdatasyncMeanMicros()));
                    f.put("better", best.job());
                    f.put("physicalLimitPerSec", Math.round(limit));
                    fioRuns.add(f);
                    log.printf(Locale.ROOT, "  %-12s %,12.0f records/s  (fio %d-byte write + fdatasync: growing file %,.0f/s, "
                                    + "preallocated %,.0f/s, x %d records)%n", PHYSICAL, limit, groupBytes,
                            grow.writesPerSec(), pre.writesPerSec(), groupRecords);
                } else {
                    Contender c = Contender.byId(entry);
                    Map<String, Object> r = contender(c, work.resolve("r" + round + "-" + c.id()), o);
                    runs.computeIfAbsent(c, k -> new ArrayList<>()).add(r);
                    if (r.containsKey("error")) {
                        log.printf(Locale.ROOT, "  %-12s FAILED: %s%n", c.id(), r.get("error"));
                        continue;
                    }
                    log.printf(Locale.ROOT, "  %-12s %,12d appends/s  (%s, %s µs CPU and %s B written per record)%s%n",
                            c.id(), ((Number) r.get("appendsPerSec")).longValue(),
                            r.get("appendsPerFsync") == null ? "no fsync" : r.get("appendsPerFsync") + " appends/fsync",
                            r.get("cpuMicrosPerRecord"), r.get("bytesWrittenPerRecord"), c.durable() ? "" : "  NOT durable");
                }
            }
        }
        Files.deleteIfExists(work.resolve("fio-preallocated"));

        List<Double> edgefn = values(runs.get(Contender.EDGEFN), "appendsPerSec");
        double appends = PairedStats.median(edgefn);
        double limit = PairedStats.median(physical);
        Contender best = null;
        for (Contender c : Contender.values()) {
            double median = PairedStats.median(values(runs.get(c), "appendsPerSec"));
            if (c != Contender.EDGEFN && c.durable() && !Double.isNaN(median) && (best == null
                    || median > PairedStats.median(values(runs.get(best), "appendsPerSec")))) {
                best = c;
            }
        }
        if (best == null) {
            throw new IOException("every durable embedded store failed in every round; their errors are above");
        }
        List<Double> bestRounds = values(runs.get(best), "appendsPerSec");
        result.put("appendsPerSec", Math.round(appends));
        result.put("physicalLimitPerSec", Math.round(limit));
        result.put("ratioVsPhysical", round2(PairedStats.pairedRatio(edgefn, physical)));
        result.put("bestEmbeddedStore", best.id());
        result.put("bestEmbeddedPerSec", Math.round(PairedStats.median(bestRounds)));
        result.put("ratioVsBestEmbedded", round2(PairedStats.pairedRatio(edgefn, bestRounds)));

        Map<String, Object> contenders = new LinkedHashMap<>();
        Map<String, Object> ratios = new LinkedHashMap<>();
        boolean aheadOfAll = true;
        for (Contender c : Contender.values()) {
            List<Map<String, Object>> rs = runs.get(c);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("description", c.description());
            m.put("durable", c.durable());
            m.put("appendsPerSec", Math.round(PairedStats.median(values(rs, "appendsPerSec"))));
            m.put("rounds", values(rs, "appendsPerSec").stream().map(Math::round).toList());
            m.put("appendsPerFsync", nullIfNaN(PairedStats.median(values(rs, "appendsPerFsync"))));
            double maxGroup = PairedStats.median(values(rs, "maxGroupRecords"));
            m.put("maxGroupRecords", Double.isNaN(maxGroup) ? null : Math.round(maxGroup));
            m.put("cpuMicrosPerRecord", nullIfNaN(PairedStats.median(values(rs, "cpuMicrosPerRecord"))));
            m.put("bytesWrittenPerRecord", nullIfNaN(PairedStats.median(values(rs, "bytesWrittenPerRecord"))));
            m.put("failed", values(rs, "failed").stream().filter(v -> !v.isNaN()).mapToLong(Math::round).sum());
            List<Object> errors = rs.stream().map(r -> r.get("error")).filter(e -> e != null).toList();
            if (!errors.isEmpty()) {
                m.put("errors", errors);
            }
            contenders.put(c.id(), m);
            if (c != Contender.EDGEFN) {
                double ratio = PairedStats.pairedRatio(edgefn, values(rs, "appendsPerSec"));
                ratios.put(c.id(), round2(ratio));
                if (c.durable() && !(ratio > 1)) {
                    aheadOfAll = false;
                }
            }
        }
        result.put("contenders", contenders);
        result.put("edgefnRatioVs", ratios);
        result.put("physical", Map.of("rounds", physical.stream().map(Math::round).toList(), "fio", fioRuns));

        log.printf(Locale.ROOT, "rounds done after %d s%n", Math.round((System.nanoTime() - began) / 1e9));
        Map<String, Object> replay = replayCold(work.resolve("replay"), o.replayRecords(), log);
        result.putAll(replay);
        Map<String, Object> recovery = recovery(work.resolve("recovery"), o.recoveryBytes(), log);
        result.putAll(recovery);

        Map<String, Object> targets = new LinkedHashMap<>();
        targets.put("ratioVsPhysical >= 0.7", target(PairedStats.pairedRatio(edgefn, physical) >= 0.7));
        targets.put("ahead of every durable embedded store", target(aheadOfAll));
        targets.put("replayColdPerSec >= 1000000", target(((Number) replay.get("replayColdPerSec")).doubleValue() >= 1e6));
        targets.put("recoveryMillis < 2000", target(((Number) recovery.get("recoveryMillis")).doubleValue() < 2000));
        targets.put("no acknowledged record lost in recovery", target(((Number) recovery.get("recoveryLostAcked")).longValue() == 0));
        result.put("targets", targets);
        result.put("benchSeconds", Math.round((System.nanoTime() - began) / 1e9));
        return result;
    }

    /**
     * Runs one contender in its own JVM and parses its JSON line; its store is deleted after. A run
     * that fails is {@code {"error": why}}: the round goes on, and that round's value is missing.
     */
    private static Map<String, Object> contender(Contender c, Path dir, BufferBenchOptions o) throws Exception {
        try {
            String line = ChildJvm.lastLine(ContenderMain.class, c.id(), dir.toString(),
                    String.valueOf(o.warmup().toMillis()), String.valueOf(o.run().toMillis()));
            return JSON.readValue(line, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            return Map.of("error", e.getMessage());
        } finally {
            if (Files.exists(dir)) {
                deleteTree(dir);
            }
        }
    }

    /**
     * The group fio writes, in records: the largest group edgefn's run saw, at least its
     * mean appends per fsync, at most the records that can be in flight.
     */
    static long groupRecords(Map<String, Object> edgefnRun) {
        Object max = edgefnRun.get("maxGroupRecords");
        Object mean = edgefnRun.get("appendsPerFsync");
        long largest = Math.max(max instanceof Number n ? n.longValue() : 1,
                mean instanceof Number n ? Math.round(n.doubleValue()) : 1);
        return Math.max(1, Math.min(MAX_IN_FLIGHT, largest));
    }

    /** {@code entries} rotated left by {@code round}: each round starts with the next one. */
    static <T> List<T> rotated(List<T> entries, int round) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            out.add(entries.get((i + round) % entries.size()));
        }
        return out;
    }

    /** Writes {@code records}, closes, evicts the segments from the page cache, then times a fresh buffer's drain. */
    private static Map<String, Object> replayCold(Path dir, long records, PrintStream log) throws Exception {
        long written = ContenderMain.fill(Contender.EDGEFN, dir, records, true);
        List<Path> segments;
        try (Stream<Path> s = Files.walk(dir)) {
            segments = s.filter(Files::isRegularFile).filter(p -> p.getParent().getFileName().toString().startsWith("p"))
                    .toList();
        }
        long segmentBytes = segments.stream().mapToLong(p -> p.toFile().length()).sum();
        String how = PageCache.evict(dir);
        double resident = segments.stream().mapToDouble(PageCache::residentShare).filter(d -> !Double.isNaN(d))
                .average().orElse(Double.NaN);
        long start = System.nanoTime();
        long n = 0;
        try (OfflineBuffer buffer = OfflineBuffer.open(dir, BufferOptions.builder().maxBytes(1L << 40).build())) {
            Cursor cursor = buffer.cursor("replay");
            List<BufferedRecord> batch;
            while (!(batch = cursor.poll(4096)).isEmpty()) {
                for (BufferedRecord r : batch) {
                    cursor.ack(r.offset());
                }
                n += batch.size();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = n / seconds;
        log.printf(Locale.ROOT, "replay cold: %,d of %,d records in %.2f s = %,.0f records/s (page cache dropped by %s; "
                + "%.1f %% of the segments resident after)%n", n, written, seconds, rate, how, resident * 100);
        deleteTree(dir);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("replayColdPerSec", Math.round(rate));
        out.put("replayRecords", n);
        out.put("replayBytes", segmentBytes);
        out.put("replayMBPerSec", round1(segmentBytes / seconds / 1e6));
        out.put("replayCache", how);
        out.put("replayResidentShareAfterEvict", nullIfNaN(round2(resident)));
        return out;
    }

    /**
     * Fills a store to {@code bytes} in a child JVM, SIGKILLs it mid-write, then opens it in another
     * fresh JVM: the open-to-ready time, that JVM's wall time, and whether every acknowledged record is there.
     */
    private static Map<String, Object> recovery(Path dir, long bytes, PrintStream log) throws Exception {
        Process filler = ChildJvm.start(RecoveryChild.class, "fill", dir.toString(), String.valueOf(bytes));
        long acked = -1;
        boolean filled = false;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(filler.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.trim().split(" ");
                if (f.length == 2 && (f[0].equals("acked") || f[0].equals("filled"))) {
                    acked = Long.parseLong(f[1]);
                    if (f[0].equals("filled")) {
                        filled = true;
                        filler.destroyForcibly(); // SIGKILL on Linux, while the producers append
                        break;
                    }
                }
            }
        } finally {
            filler.destroyForcibly();
            filler.waitFor();
        }
        if (!filled) {
            throw new IOException("the recovery filler ended before filling " + bytes + " bytes (exit "
                    + filler.exitValue() + "); its stderr is above");
        }
        long size;
        try (Stream<Path> files = Files.walk(dir)) {
            size = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        long start = System.nanoTime();
        String line = ChildJvm.lastLine(RecoveryChild.class, "open", dir.toString());
        long wall = Math.round((System.nanoTime() - start) / 1e6);
        Map<String, Object> opened = JSON.readValue(line, new TypeReference<Map<String, Object>>() { });
        long records = ((Number) opened.get("records")).longValue();
        long lost = Math.max(0, acked - records);
        double millis = ((Number) opened.get("openMillis")).doubleValue();
        log.printf(Locale.ROOT, "recovery after SIGKILL: %,.1f ms from open to first poll (%,d ms for the whole JVM), "
                        + "%,d MB store, %,d records, %,d acknowledged before the kill, %d lost, %s corrupt dropped (exit %d)%n",
                millis, wall, size >> 20, records, acked, lost, opened.get("droppedCorrupt"), filler.exitValue());
        deleteTree(dir);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("recoveryMillis", millis);
        out.put("recoveryJvmWallMillis", wall);
        out.put("recoveryStoreBytes", size);
        out.put("recoveryRecords", records);
        out.put("recoveryAckedBeforeKill", acked);
        out.put("recoveryLostAcked", lost);
        out.put("recoveryDroppedCorrupt", opened.get("droppedCorrupt"));
        return out;
    }

    private static List<Double> values(List<Map<String, Object>> runs, String key) {
        List<Double> out = new ArrayList<>();
        if (runs != null) {
            for (Map<String, Object> r : runs) {
                out.add(r.get(key) instanceof Number n ? n.doubleValue() : Double.NaN);
            }
        }
        return out;
    }

    private static String target(boolean met) {
        return met ? "met" : "missed";
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
