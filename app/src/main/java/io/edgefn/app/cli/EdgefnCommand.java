package io.edgefn.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code edgefn} command line: one launcher for running a gateway, the demo, and the tools
 * around them. Each subcommand has {@code --help}.
 */
@Command(name = "edgefn", mixinStandardHelpOptions = true, version = "edgefn 0.1.0",
        description = "A serverless-style function host for IoT edge gateways.",
        subcommands = {RunCommand.class, DemoCommand.class, StatusCommand.class, SendCommand.class, BufferCommand.class,
                RouteCheckCommand.class, SerialCommand.class, BenchCommand.class, DevicesCommand.class, CertsCommand.class,
                SdkCommand.class, NewCommand.class,
                CommandLine.HelpCommand.class})
public final class EdgefnCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status (for tests). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new EdgefnCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String message = e.getMessage() != null ? e.getMessage() : e.toString();
            commandLine.getErr().println("edgefn " + commandLine.getCommandName() + ": " + message);
            if (e.getMessage() == null || System.getenv("EDGEFN_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
