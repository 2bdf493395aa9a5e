package io.edgefn.benchmarks.invoke;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * {@code edgefn bench invoke}: what the host adds to a function call, and how long a package takes
 * to serve its first call.
 *
 * <ul>
 *   <li><b>Java overhead</b>: messages through a host running the {@code pass-through} function
 *       (device message → route → input {@code in} → method → output {@code out} → route → an
 *       external module's inbox), against a direct Java call doing the same copy on the same
 *       bodies; rounds alternate the two, and the overhead per message is the median over rounds
 *       of the difference of their times per message.</li>
 *   <li><b>Java activation</b>: from building a host with the package to its first copy at the
 *       sink — the package's class loader, its Micronaut context, the function's start and one
 *       call. The first host in the JVM is reported apart ({@code javaActivationColdMillis}); the
 *       target is for a running gateway, whose JVM is warm: the median of later hosts.</li>
 * </ul>
 *
 * <p>The last line printed is one JSON object. Single-threaded driver; the host uses its own
 * threads.
 */
public final class InvokeBench {

    private InvokeBench() {
    }

    /** Runs the benchmark; {@code --help} lists the options. */
    public static void main(String[] args) throws Exception {
        InvokeOptions options;
        try {
            options = InvokeOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("edgefn bench invoke: " + e.getMessage());
            System.err.println(InvokeOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(InvokeOptions.USAGE);
            return;
        }
        System.out.println(run(options).toJson());
    }

    /** Measures everything {@code options} ask for and returns the result. */
    static InvokeResult run(InvokeOptions options) throws IOException, InterruptedException, TimeoutException {
        Path work = Files.createTempDirectory("edgefn-bench-invoke");
        try {
            byte[] body = body(options.payloadBytes());
            PassThroughRig.Started first = PassThroughRig.start(work.resolve("host-0"));
            double coldActivationMillis = first.activationNanos() / 1e6;
            System.out.printf(Locale.ROOT, "java activation, first host in this JVM: %.1f ms%n", coldActivationMillis);
            List<Double> overheads = new ArrayList<>();
            double hostMicros;
            double directMicros;
            List<Double> hostPerMessage = new ArrayList<>();
            List<Double> directPerMessage = new ArrayList<>();
            try (PassThroughRig rig = first.rig()) {
                rig.run(body, options.warmupMessages(), Duration.ofSeconds(30));
                direct(body, options.warmupMessages());
                for (int round = 1; round <= options.rounds(); round++) {
                    double d = direct(body, options.messages()) / 1e3 / options.messages();
                    double h = rig.run(body, options.messages(), Duration.ofSeconds(30)) / 1e3 / options.messages();
                    directPerMessage.add(d);
                    hostPerMessage.add(h);
                    overheads.add(h - d);
                    System.out.printf(Locale.ROOT, "round %d: host %.2f µs/message (%.0f/s), direct call %.3f µs, overhead %.2f µs%n",
                            round, h, 1e6 / h, d, h - d);
                }
            }
            hostMicros = median(hostPerMessage);
            directMicros = median(directPerMessage);
            List<Double> activations = new ArrayList<>();
            for (int i = 1; i <= options.activations(); i++) {
                PassThroughRig.Started started = PassThroughRig.start(work.resolve("host-" + i));
                started.rig().close();
                activations.add(started.activationNanos() / 1e6);
                System.out.printf(Locale.ROOT, "java activation %d (warm JVM): %.1f ms%n", i, started.activationNanos() / 1e6);
            }
            return new InvokeResult(options, median(overheads), hostMicros, directMicros, coldActivationMillis,
                    median(activations));
        } finally {
            deleteTree(work);
        }
    }

    /** The direct call the host is measured against: the function's own work, the body's copy. */
    private static final UnaryOperator<byte[]> COPY = byte[]::clone;

    /** Keeps the copies alive so the JIT cannot drop them. */
    private static volatile int sink;

    private static long direct(byte[] body, int count) {
        long start = System.nanoTime();
        int acc = 0;
        for (int i = 0; i < count; i++) {
            byte[] copy = COPY.apply(body);
            acc += copy[i % copy.length];
        }
        long nanos = System.nanoTime() - start;
        sink = acc;
        return nanos;
    }

    private static byte[] body(int size) {
        StringBuilder s = new StringBuilder("{\"pressure\":101.3,\"pad\":\"");
        while (s.length() < size - 2) {
            s.append('x');
        }
        s.append("\"}");
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
