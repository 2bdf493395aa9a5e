package io.edgefn.benchmarks.hub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of {@code edgefn bench hub}, checked all at once.
 *
 * @param publishers   publishing connections
 * @param inFlight     unacknowledged QoS 1 messages per connection
 * @param payloadBytes payload size
 * @param window       how long each rate is measured
 * @param warmup       how long each phase runs before it is measured
 * @param jar          the {@code edgefn-all.jar} run as the gateway
 * @param quick        whether {@code --quick} was given
 */
record HubOptions(int publishers, int inFlight, int payloadBytes, Duration window, Duration warmup, Path jar, boolean quick) {

    static final int DEFAULT_PUBLISHERS = 8;

    static final String USAGE = """
            usage: edgefn bench hub [--quick] [--seconds N] [--publishers N] [--in-flight N] [--payload BYTES] [--jar PATH]
              (a) publishers -> Mosquitto -> subscriber, then (b) publishers -> edgefn run (edge hub,
              FROM /messages/* INTO $upstream, durable buffer, upstream link) -> Mosquitto -> subscriber,
              then (b) paced at half its maximum for latency. Defaults: 8 publishers, QoS 1, 64 in flight
              each, 256-byte payloads, 10 s windows (5 s with --quick), the gateway from app/target/edgefn-all.jar.""";

    /** Parses {@code args}, naming every bad one. */
    static HubOptions parse(List<String> args) {
        int publishers = DEFAULT_PUBLISHERS;
        int inFlight = 64;
        int payload = 256;
        Integer seconds = null;
        boolean quick = false;
        Path jar = defaultJar();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String value = i + 1 < args.size() ? args.get(i + 1) : null;
            switch (a) {
                case "--quick" -> quick = true;
                case "--seconds" -> { seconds = number(a, value, 1, 3600, problems); i++; }
                case "--publishers" -> { publishers = number(a, value, 1, 256, problems); i++; }
                case "--in-flight" -> { inFlight = number(a, value, 1, 65_535, problems); i++; }
                case "--payload" -> { payload = number(a, value, 64, 262_143, problems); i++; }
                case "--jar" -> {
                    if (value == null) {
                        problems.add("--jar needs a path");
                    } else {
                        jar = Path.of(value);
                    }
                    i++;
                }
                default -> problems.add("unknown option " + a);
            }
        }
        if (jar == null || !Files.isRegularFile(jar)) {
            problems.add("the gateway jar " + jar + " does not exist; build it with mvn -pl app -am package, or pass --jar");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        int windowSeconds = seconds != null ? seconds : quick ? 5 : 10;
        return new HubOptions(publishers, inFlight, payload, Duration.ofSeconds(windowSeconds),
                Duration.ofSeconds(quick ? 1 : 3), jar, quick);
    }

    private static int number(String option, String value, int min, int max, List<String> problems) {
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                problems.add(option + " must be between " + min + " and " + max + ", was " + n);
            }
            return n;
        } catch (NumberFormatException | NullPointerException e) {
            problems.add(option + " needs a number, was " + value);
            return min;
        }
    }

    private static Path defaultJar() {
        String home = System.getProperty("edgefn.home");
        Path root = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
        return root.resolve("app/target/edgefn-all.jar");
    }
}
