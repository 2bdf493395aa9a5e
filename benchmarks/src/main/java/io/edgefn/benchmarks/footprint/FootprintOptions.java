package io.edgefn.benchmarks.footprint;

/**
 * The options of {@code edgefn bench footprint}.
 *
 * @param help        print the usage and exit
 * @param quick       the short run (within 90 s): 10 s idle instead of 30 s
 * @param idleSeconds how long each process idles before its resident memory is read
 * @param recordCache record the AOT cache when it is missing or stale (otherwise the run with it
 *                    is skipped and reported as such)
 */
record FootprintOptions(boolean help, boolean quick, int idleSeconds, boolean recordCache) {

    static final String USAGE = """
            usage: edgefn bench footprint [--quick] [--idle SECONDS] [--no-record]
              the demo deployment in `edgefn run` (a process of its own, the launcher's JVM flags)
              against the pump MCU simulator in another process over a socat pty pair: the time
              from process start to the ready line (startMillis), and the resident memory (VmRSS)
              after SECONDS idle (default 30, 10 with --quick), with the JDK's AOT cache
              (recorded first when missing, unless --no-record) and without it; the floor is a
              JVM with the same flags running nothing (jvmFloorRssMb);
              the last line is one JSON object""";

    /** Parses {@code args}; throws {@link IllegalArgumentException} naming a bad one. */
    static FootprintOptions parse(String[] args) {
        boolean help = false;
        boolean quick = false;
        boolean record = true;
        Integer idle = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> help = true;
                case "--quick" -> quick = true;
                case "--no-record" -> record = false;
                case "--idle" -> {
                    if (++i >= args.length) {
                        throw new IllegalArgumentException("--idle needs a value (seconds)");
                    }
                    try {
                        idle = Integer.parseInt(args[i]);
                    } catch (NumberFormatException e) {
                        idle = -1;
                    }
                    if (idle < 1 || idle > 3600) {
                        throw new IllegalArgumentException("--idle must be a whole number of seconds from 1 to 3600, was '"
                                + args[i] + "'");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        return new FootprintOptions(help, quick, idle != null ? idle : quick ? 10 : 30, record);
    }
}
