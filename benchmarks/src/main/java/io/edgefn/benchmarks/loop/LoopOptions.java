package io.edgefn.benchmarks.loop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of the loop benchmark does, parsed from its command line.
 *
 * @param trials       measured trials (1,000 by default, 200 with {@code --quick})
 * @param warmupTrials trials run first and not measured, so that the JIT has compiled the path
 * @param burnMillis   how long each 10 ms tick of the {@code cpu-burner} function spins; 0 turns it off
 * @param seed         seeds the random pauses between trials and the simulator's noise
 * @param telemetryHz  the simulator's telemetry rate
 * @param verbose      whether the host's and simulator's INFO logs are shown
 * @param collectors   the collectors to compare, each in JVMs of its own ({@link #COLLECTORS}' names)
 * @param rounds       how many JVMs per collector, run interleaved; the trials are split between them
 * @param quick        whether {@code --quick} was given (the result goes under {@code quick/})
 * @param child        whether this JVM is one round of a parent run (internal: runs the trials in
 *                     this JVM and prints every trial's times)
 */
record LoopOptions(int trials, int warmupTrials, long burnMillis, long seed, double telemetryHz, boolean verbose,
                   List<String> collectors, int rounds, boolean quick, boolean child) {

    /** The collectors a run may compare, with the JVM flag that selects each. */
    static final Map<String, String> COLLECTORS = knownCollectors();
    /** What a run compares unless told otherwise. */
    static final List<String> DEFAULT_COLLECTORS = List.of("G1", "ZGC", "Serial");

    /** Trials without {@code --quick}, as issue 5 asks. */
    static final int DEFAULT_TRIALS = 1_000;
    /** Trials with {@code --quick}: about 30 s. */
    static final int QUICK_TRIALS = 200;
    /**
     * Spin per 10 ms tick: with two ticks at once (the function's {@code maxConcurrency}) about
     * 1.8 of the machine's 2 cores are busy all the time.
     */
    static final long DEFAULT_BURN_MILLIS = 18;

    static final String USAGE = """
            usage: edgefn bench loop [--quick] [--trials N] [--warmup N] [--no-burn] [--burn-millis N] [--seed N]
                                     [--collectors G1,ZGC,Serial] [--rounds N] [--verbose]
              --quick          200 trials per collector in one JVM each (about 2 min for three) instead of
                               1000 in two interleaved JVMs each
              --trials N       measured trials per collector, 1..100000
              --collectors L   comma-separated collectors to compare, each in its own JVMs: G1, ZGC
                               (generational), Serial, Parallel (default G1,ZGC,Serial)
              --rounds N       JVMs per collector, interleaved (G1, ZGC, Serial, G1, …), 1..20
                               (default 2, 1 with --quick)
              --warmup N       unmeasured trials first, 0..10000 (default 20, 10 with --quick)
              --no-burn        no CPU-burning function beside the pump functions (for comparison)
              --burn-millis N  spin per 10 ms tick of cpu-burner, two ticks at once, 1..1000 (default 18)
              --seed N         seed of the pauses between trials and of the simulator (default 5)
              --verbose        show the host's and the simulator's own log lines""";

    LoopOptions {
        if (trials < 1 || trials > 100_000) {
            throw new IllegalArgumentException("--trials must be 1..100000, was " + trials);
        }
        if (warmupTrials < 0 || warmupTrials > 10_000) {
            throw new IllegalArgumentException("--warmup must be 0..10000, was " + warmupTrials);
        }
        if (burnMillis < 0 || burnMillis > 1_000) {
            throw new IllegalArgumentException("the burn must be 0..1000 ms per tick (0: no burner), was " + burnMillis);
        }
        collectors = List.copyOf(collectors);
        if (collectors.isEmpty()) {
            throw new IllegalArgumentException("--collectors needs at least one collector");
        }
        if (rounds < 1 || rounds > 20) {
            throw new IllegalArgumentException("--rounds must be 1..20, was " + rounds);
        }
        if (!(telemetryHz >= 1 && telemetryHz <= 10_000)) {
            throw new IllegalArgumentException("the telemetry rate must be 1..10000 Hz, was " + telemetryHz);
        }
    }

    private static Map<String, String> knownCollectors() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("G1", "-XX:+UseG1GC");
        m.put("ZGC", "-XX:+UseZGC"); // generational: the only ZGC since JDK 24
        m.put("Serial", "-XX:+UseSerialGC");
        m.put("Parallel", "-XX:+UseParallelGC");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Whether the CPU-burning function runs. */
    boolean burning() {
        return burnMillis > 0;
    }

    /**
     * Parses the benchmark's arguments.
     *
     * @throws IllegalArgumentException naming the argument (and its position) that is wrong
     */
    static LoopOptions parse(List<String> args) {
        Integer trials = null;
        Integer warmup = null;
        boolean quick = false;
        boolean noBurn = false;
        Long burnMillis = null;
        long seed = 5;
        boolean verbose = false;
        boolean child = false;
        List<String> collectors = null;
        Integer rounds = null;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--quick" -> quick = true;
                case "--no-burn" -> noBurn = true;
                case "--verbose" -> verbose = true;
                case "--child" -> child = true;
                case "--rounds" -> rounds = (int) number(args, ++i, arg, 1, 20, problems);
                case "--collectors" -> collectors = collectors(args, ++i, problems);
                case "--trials" -> trials = (int) number(args, ++i, arg, 1, 100_000, problems);
                case "--warmup" -> warmup = (int) number(args, ++i, arg, 0, 10_000, problems);
                case "--burn-millis" -> burnMillis = number(args, ++i, arg, 1, 1_000, problems);
                case "--seed" -> seed = number(args, ++i, arg, Long.MIN_VALUE, Long.MAX_VALUE, problems);
                default -> problems.add("unknown argument '" + arg + "' (argument " + (i + 1) + ")");
            }
        }
        if (noBurn && burnMillis != null) {
            problems.add("--no-burn and --burn-millis contradict each other; give one");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        int total = trials != null ? trials : quick ? QUICK_TRIALS : DEFAULT_TRIALS;
        int r = rounds != null ? rounds : quick || child ? 1 : 2;
        if (!child && r > total) {
            throw new IllegalArgumentException("--rounds " + r + " is more than the " + total
                    + " trials to split between them");
        }
        return new LoopOptions(total,
                warmup != null ? warmup : quick ? 10 : 20,
                noBurn ? 0 : burnMillis != null ? burnMillis : DEFAULT_BURN_MILLIS,
                seed, 1_000, verbose, collectors != null ? collectors : DEFAULT_COLLECTORS, r, quick, child);
    }

    /** The trials round {@code round} (0-based) of {@link #rounds} runs: the split, remainder first. */
    int trialsOfRound(int round) {
        return trials / rounds + (round < trials % rounds ? 1 : 0);
    }

    private static List<String> collectors(List<String> args, int index, List<String> problems) {
        if (index >= args.size()) {
            problems.add("--collectors needs a list after it, e.g. G1,ZGC,Serial (argument " + index + ")");
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String name : args.get(index).split(",", -1)) {
            String known = COLLECTORS.keySet().stream().filter(k -> k.equalsIgnoreCase(name.strip())).findFirst()
                    .orElse(null);
            if (known == null) {
                problems.add("--collectors: unknown collector '" + name.strip() + "' (argument " + (index + 1)
                        + "); known: " + String.join(", ", COLLECTORS.keySet()));
            } else if (out.contains(known)) {
                problems.add("--collectors names " + known + " twice (argument " + (index + 1) + ")");
            } else {
                out.add(known);
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static long number(List<String> args, int index, String option, long min, long max, List<String> problems) {
        if (index >= args.size()) {
            problems.add(option + " needs a number after it (argument " + index + ")");
            return min;
        }
        String text = args.get(index);
        try {
            long value = Long.parseLong(text);
            if (value < min || value > max) {
                problems.add(option + " must be " + min + ".." + max + ", was " + value + " (argument " + (index + 1) + ")");
                return min;
            }
            return value;
        } catch (NumberFormatException e) {
            problems.add(option + " needs a whole number, was '" + text + "' (argument " + (index + 1) + ")");
            return min;
        }
    }
}
