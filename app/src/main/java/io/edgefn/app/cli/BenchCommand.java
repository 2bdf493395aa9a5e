package io.edgefn.app.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code edgefn bench}: listed here so that {@code edgefn --help} shows it. The benchmarks live in
 * their own jar (they bring JMH and H2, which a gateway's runtime does not need); the
 * {@code ./edgefn} launcher builds and runs that jar for {@code ./edgefn bench …}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures edgefn: `./edgefn bench buffer [--quick] [--dir DIR]` (offline buffer vs the disk's own fsync limit measured by fio and vs durable embedded stores; cold replay; recovery after SIGKILL), "
                        + "`./edgefn bench loop [--quick] [--no-burn]` (the control loop through a pty while a function burns the CPU), "
                        + "`./edgefn bench hub [--quick]` (the edge hub and upstream link against Mosquitto alone), "
                        + "`./edgefn bench invoke [--quick]` (what the host adds to a function call; a package's activation), "
                        + "`./edgefn bench deploy [--quick]` (a live change on one gateway under load; a fleet rollout through Mosquitto).",
                "The launcher runs these from the benchmarks jar; numbers and how to read them: README.md."})
final class BenchCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "buffer or loop, and their options.")
    List<String> args = List.of();

    @Override
    public Integer call() {
        System.err.println("edgefn bench: run it through the launcher, which builds and runs the benchmarks jar: ./edgefn bench "
                + (args.isEmpty() ? "buffer|loop" : String.join(" ", args)));
        return 2;
    }
}
