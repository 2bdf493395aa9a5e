package io.edgefn.benchmarks.invoke;

/**
 * The options of {@code edgefn bench invoke}.
 *
 * @param help           print the usage and exit
 * @param quick          the short run (within 90 s)
 * @param messages       messages per round and contender
 * @param warmupMessages messages sent before the first round, not counted
 * @param rounds         rounds, each measuring the host and the direct call
 * @param activations    hosts started in the warm JVM to time activation
 * @param payloadBytes   the size of each message's JSON body
 */
record InvokeOptions(boolean help, boolean quick, int messages, int warmupMessages, int rounds, int activations,
                     int payloadBytes) {

    /** Messages per round for the JavaScript function: slower per message, so fewer. */
    int jsMessages() {
        return Math.max(1, messages / 5);
    }

    /** Messages sent to the JavaScript function before the first round. */
    int jsWarmupMessages() {
        return Math.max(1, warmupMessages / 2);
    }

    static final String USAGE = """
            usage: edgefn bench invoke [--quick] [--messages N] [--rounds N] [--activations N] [--payload BYTES]
              the per-message overhead of a pass-through Java function against a direct Java call,
              the cost of a JavaScript pass-through beyond the Java one, and the activation of a
              Java and a JavaScript package (the first call after the host loads it);
              the last line is one JSON object""";

    /** Parses {@code args}; throws {@link IllegalArgumentException} naming a bad one. */
    static InvokeOptions parse(String[] args) {
        boolean help = false;
        boolean quick = false;
        Integer messages = null;
        Integer rounds = null;
        Integer activations = null;
        int payload = 64;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> help = true;
                case "--quick" -> quick = true;
                case "--messages" -> messages = positive(args, ++i);
                case "--rounds" -> rounds = positive(args, ++i);
                case "--activations" -> activations = positive(args, ++i);
                case "--payload" -> payload = positive(args, ++i);
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        if (payload < 16) {
            throw new IllegalArgumentException("--payload must be at least 16 bytes, was " + payload);
        }
        int m = messages != null ? messages : quick ? 50_000 : 200_000;
        return new InvokeOptions(help, quick, m, quick ? 50_000 : 200_000,
                rounds != null ? rounds : quick ? 3 : 5, activations != null ? activations : quick ? 3 : 5, payload);
    }

    private static int positive(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        try {
            int v = Integer.parseInt(args[i]);
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(args[i - 1] + " must be a positive whole number, was '" + args[i] + "'");
        }
    }
}
