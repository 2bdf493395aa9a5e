package io.edgefn.benchmarks.invoke;

import io.edgefn.benchmarks.results.MachineInfo;
import io.edgefn.benchmarks.results.ResultFile;
import io.edgefn.js.JsEngine;
import io.edgefn.js.JsPackager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 *   <li><b>JavaScript call</b>: the same pipeline with a JavaScript pass-through in its sandbox
 *       (body parsed as JSON in the script and written back); {@code jsCallMicros} is the median
 *       over rounds of what it takes per message beyond the Java function.</li>
 *   <li><b>Java activation</b>: from building a host with the package to its first copy at the
 *       sink — the package's class loader, its Micronaut context, the function's start and one
 *       call. The first host in the JVM is reported apart ({@code javaActivationColdMillis}); the
 *       target is for a running gateway, whose JVM is warm: the median of later hosts. JavaScript
 *       likewise, with a new engine per host (the engine's classes are loaded by then).</li>
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
        Instant startedAt = Instant.now();
        MachineInfo machine = MachineInfo.describe(Path.of(System.getProperty("java.io.tmpdir")));
        String json = run(options).toJson();
        System.err.println("edgefn bench invoke: saved "
                + ResultFile.saveJson("invoke", args, machine, startedAt, json));
        System.out.println(json);
    }

    /** The JavaScript pass-through: the same copy as the Java one, a body in and the same body out. */
    static final String JS_PASS_THROUGH = """
            export const edgefn = {
              name: "js-pass-through",
              outputs: ["out"],
              triggers: [{route: "in", handler: "pass", output: "out"}],
            };
            export function pass(message, ctx) {
              return message.body;
            }
            """;

    /** Measures everything {@code options} ask for and returns the result. */
    static InvokeResult run(InvokeOptions options) throws IOException, InterruptedException, TimeoutException {
        Path work = Files.createTempDirectory("edgefn-bench-invoke");
        try {
            byte[] body = body(options.payloadBytes());
            JsPackage js = jsPackage(work);
            PassThroughRig.Started first = PassThroughRig.start(work.resolve("java-0"), PassThroughRig.Pass.JAVA);
            double coldActivationMillis = first.activationNanos() / 1e6;
            System.out.printf(Locale.ROOT, "java activation, first host in this JVM: %.1f ms%n", coldActivationMillis);
            PassThroughRig.Started firstJs = PassThroughRig.start(work.resolve("js-0"), js.pass());
            double jsColdActivationMillis = firstJs.activationNanos() / 1e6;
            System.out.printf(Locale.ROOT, "js activation, first host in this JVM: %.1f ms%n", jsColdActivationMillis);
            List<Double> overheads = new ArrayList<>();
            List<Double> jsCalls = new ArrayList<>();
            List<Double> hostPerMessage = new ArrayList<>();
            List<Double> jsPerMessage = new ArrayList<>();
            List<Double> directPerMessage = new ArrayList<>();
            try (PassThroughRig java = first.rig(); PassThroughRig script = firstJs.rig()) {
                java.run(body, options.warmupMessages(), PATIENCE);
                script.run(body, options.jsWarmupMessages(), PATIENCE);
                direct(body, options.warmupMessages());
                for (int round = 1; round <= options.rounds(); round++) {
                    double d = direct(body, options.messages()) / 1e3 / options.messages();
                    double h = java.run(body, options.messages(), PATIENCE) / 1e3 / options.messages();
                    double j = script.run(body, options.jsMessages(), PATIENCE) / 1e3 / options.jsMessages();
                    directPerMessage.add(d);
                    hostPerMessage.add(h);
                    jsPerMessage.add(j);
                    overheads.add(h - d);
                    jsCalls.add(j - h);
                    System.out.printf(Locale.ROOT, "round %d: java host %.2f µs/message (%.0f/s), direct call %.3f µs,"
                                    + " overhead %.2f µs; js host %.2f µs/message, the js call %.2f µs%n",
                            round, h, 1e6 / h, d, h - d, j, j - h);
                }
            }
            List<Double> activations = new ArrayList<>();
            List<Double> jsActivations = new ArrayList<>();
            for (int i = 1; i <= options.activations(); i++) {
                PassThroughRig.Started started = PassThroughRig.start(work.resolve("java-" + i), PassThroughRig.Pass.JAVA);
                started.rig().close();
                activations.add(started.activationNanos() / 1e6);
                PassThroughRig.Started startedJs = PassThroughRig.start(work.resolve("js-" + i), js.pass());
                startedJs.rig().close();
                jsActivations.add(startedJs.activationNanos() / 1e6);
                System.out.printf(Locale.ROOT, "activation %d (warm JVM): java %.1f ms, js %.1f ms%n", i,
                        started.activationNanos() / 1e6, startedJs.activationNanos() / 1e6);
            }
            return new InvokeResult(options, median(overheads), median(hostPerMessage), median(directPerMessage),
                    coldActivationMillis, median(activations), median(jsCalls), median(jsPerMessage),
                    jsColdActivationMillis, median(jsActivations), js.runtime());
        } finally {
            deleteTree(work);
        }
    }

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** The JavaScript package and the name of the runtime that runs it here. */
    private record JsPackage(PassThroughRig.Pass pass, String runtime) {
    }

    /** Packs {@link #JS_PASS_THROUGH} as {@code edgefn package js} does. */
    private static JsPackage jsPackage(Path work) throws IOException {
        Path source = Files.createDirectories(work.resolve("js-src"));
        Files.writeString(source.resolve("pass-through.mjs"), JS_PASS_THROUGH);
        Path jar = work.resolve("js-pass-through.jar");
        JsEngine engine = JsEngine.create(JsEngine.Options.defaults());
        try {
            JsPackager.pack(engine, source, jar);
            return new JsPackage(new PassThroughRig.Pass("js-pass-through", jar), engine.runtimeName());
        } finally {
            engine.close();
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
