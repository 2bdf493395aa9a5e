package io.edgefn.benchmarks.buffer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one run of {@code edgefn bench buffer} does, parsed from its command line. Immutable.
 *
 * @param quick        whether this is a {@code --quick} run (3 rounds, short runs, a small recovery store)
 * @param dir          where the stores go, or {@code null} for a fresh directory under {@code /var/tmp}
 * @param rounds       interleaved rounds, each running every contender once
 * @param warmup       how long each contender runs in its JVM before it is measured
 * @param run          how long each contender is measured per round
 * @param fioSeconds   how long each of fio's two jobs (growing file, preallocated file) runs per round
 * @param replayRecords records written, evicted from the page cache and replayed cold
 * @param recoveryBytes the size of the store killed with SIGKILL and reopened
 * @param help         whether {@code --help} was asked for
 */
record BufferBenchOptions(boolean quick, Path dir, int rounds, Duration warmup, Duration run, int fioSeconds,
                          long replayRecords, long recoveryBytes, boolean help) {

    static final String USAGE = """
            usage: edgefn bench buffer [--quick] [--dir DIR] [--rounds N] [--help]
              Durable appends/s of edgefn's offline buffer against the disk's own limit (fio: one
              write + fdatasync per group, a growing and a preallocated file) and against durable
              embedded stores used as experts use them (H2 SQL with executeBatch, H2 MVStore,
              SQLite WAL synchronous=FULL, RocksDB WriteBatch sync=true) plus Kura's H2 store as it
              runs (commit per message, no fsync: not durable). 8 producers x 64 in flight, 256-byte
              records, an ack only after the fsync covering the record; each contender in its own
              JVM, rounds interleaved with the order rotated. Then replay with the segments out of
              the page cache, and recovery of a store after SIGKILL in a fresh JVM.
              The last line is one JSON object; it is also saved under benchmarks/results/.
              --quick     3 rounds of 1 s per contender, 500,000 records replayed, a recovery store
                          of about 48 MiB (recoveryStoreBytes): within 3 minutes
              --dir DIR   where the stores and fio's files go (default: a fresh directory under
                          /var/tmp); it must be on the disk you mean to measure, not tmpfs
              --rounds N  interleaved rounds, 1..50 (default 5, 3 with --quick)""";

    BufferBenchOptions {
        if (rounds < 1 || rounds > 50) {
            throw new IllegalArgumentException("--rounds must be 1..50, was " + rounds);
        }
    }

    /**
     * Parses the benchmark's arguments.
     *
     * @throws IllegalArgumentException naming every argument that is wrong and its position
     */
    static BufferBenchOptions parse(List<String> args) {
        boolean quick = false;
        boolean help = false;
        Path dir = null;
        Integer rounds = null;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--quick" -> quick = true;
                case "--help", "-h" -> help = true;
                case "--dir" -> {
                    if (i + 1 >= args.size() || args.get(i + 1).isBlank() || args.get(i + 1).startsWith("--")) {
                        problems.add("--dir needs a directory after it (argument " + (i + 1) + ")");
                    } else {
                        dir = Path.of(args.get(++i));
                    }
                }
                case "--rounds" -> {
                    if (i + 1 >= args.size()) {
                        problems.add("--rounds needs a number after it (argument " + (i + 1) + ")");
                    } else {
                        String text = args.get(++i);
                        try {
                            int n = Integer.parseInt(text);
                            if (n < 1 || n > 50) {
                                problems.add("--rounds must be 1..50, was " + n + " (argument " + (i + 1) + ")");
                            } else {
                                rounds = n;
                            }
                        } catch (NumberFormatException e) {
                            problems.add("--rounds needs a whole number, was '" + text + "' (argument " + (i + 1) + ")");
                        }
                    }
                }
                default -> problems.add("unknown argument '" + arg + "' (argument " + (i + 1) + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return quick
                ? new BufferBenchOptions(true, dir, rounds != null ? rounds : 3, Duration.ofMillis(500),
                        Duration.ofMillis(1000), 1, 500_000, 48L << 20, help)
                : new BufferBenchOptions(false, dir, rounds != null ? rounds : 5, Duration.ofSeconds(2),
                        Duration.ofSeconds(8), 3, 4_000_000, 1L << 30, help);
    }
}
