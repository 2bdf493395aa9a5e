package io.edgefn.benchmarks;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;

/**
 * The entry point of {@code edgefn bench}: dispatches {@code buffer} and {@code loop} to their
 * benchmarks' own {@code main}, passing the remaining arguments on.
 *
 * <p>Each benchmark is found by name at run time, so this class compiles and runs whether or not
 * a benchmark is part of the build; a missing one is reported as such, with exit status 1.
 * Anything else prints the usage on stderr and exits with status 2.
 */
public final class BenchCommand {

    /** The benchmarks by sub-command: the class whose {@code main(String[])} runs it. */
    private static final Map<String, String> BENCHMARKS = Map.of(
            "buffer", "io.edgefn.benchmarks.buffer.BufferBench",
            "loop", "io.edgefn.benchmarks.loop.LoopBench",
            "hub", "io.edgefn.benchmarks.hub.HubBench",
            "invoke", "io.edgefn.benchmarks.invoke.InvokeBench",
            "deploy", "io.edgefn.benchmarks.deploy.DeployBench",
            "footprint", "io.edgefn.benchmarks.footprint.FootprintBench",
            "routes", "io.edgefn.benchmarks.routes.RoutesBench");

    private static final String USAGE = """
            usage: edgefn bench <benchmark> [options]
              buffer   the offline buffer against the disk's own fsync limit (fio) and durable embedded
                       stores; cold replay; recovery after SIGKILL [--quick] [--dir DIR] [--rounds N]
              loop     the control loop end to end over a pty: anomalous reading -> functions ->
                       shutdown COMMAND -> the MCU's ACK at the gateway, while another function burns
                       CPU; G1, ZGC and Serial each in JVMs of their own
                       [--quick] [--trials N] [--warmup N] [--no-burn] [--burn-millis N] [--seed N]
                       [--collectors G1,ZGC,Serial] [--rounds N]
              routes   the route JMH benchmarks (compiled conditions against hand-written ones that
                       allocate nothing, the 100-route table), 3 forks, -prof gc [--quick] [--forks N]
              hub      the edge hub and upstream link against Mosquitto alone: 8 QoS 1 publishers,
                       throughput ratio, latency at half load, peak RSS, lost messages
                       [--quick] [--seconds N] [--publishers N] [--in-flight N] [--payload BYTES]
              invoke   what the host adds to a call: a pass-through function against a direct
                       call, and a package's activation [--quick] [--messages N] [--rounds N]
              deploy   a live one-function change on one gateway under load, and a fleet rollout
                       through one Mosquitto [--quick] [--gateways N] [--rate N] [--gate SECONDS]
              footprint  the demo gateway's idle resident memory and its time to ready, with and
                       without the JDK's AOT cache, against an idle JVM's [--quick] [--idle SECONDS]
                       [--no-record]""";

    private BenchCommand() {
    }

    /** Runs the benchmark {@code args[0]} with the rest of {@code args}. */
    public static void main(String[] args) throws Throwable {
        int status = dispatch(args, BENCHMARKS, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the benchmark {@code args[0]}, looked up in {@code benchmarks} (sub-command to class
     * name); returns the exit status for what this class decides
     * itself (0 after a benchmark's {@code main} returned, 1 for a benchmark missing from the
     * build, 2 for a usage error). A benchmark's own exceptions and exits pass through.
     */
    static int dispatch(String[] args, Map<String, String> benchmarks, PrintStream out, PrintStream err)
            throws Throwable {
        if (args.length == 0) {
            err.println("edgefn bench: which benchmark? none was given");
            err.println(USAGE);
            return 2;
        }
        String name = args[0];
        if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
            out.println(USAGE);
            return 0;
        }
        String className = benchmarks.get(name);
        if (className == null) {
            err.println("edgefn bench: unknown benchmark '" + name + "'; known: "
                    + String.join(", ", new java.util.TreeSet<>(benchmarks.keySet())));
            err.println(USAGE);
            return 2;
        }
        Method main;
        try {
            main = Class.forName(className).getMethod("main", String[].class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            err.println("edgefn bench: the '" + name + "' benchmark is not in this build (" + className
                    + " with a main(String[]) is missing from benchmarks.jar); rebuild with "
                    + "mvn -pl benchmarks -am package");
            return 1;
        }
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        return 0;
    }
}
