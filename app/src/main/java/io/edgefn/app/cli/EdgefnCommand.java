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
                SdkCommand.class, NewCommand.class, KeysCommand.class, SignCommand.class, TrustCommand.class, TokenCommand.class, PackageCommand.class,
                DeployCommand.class, RollbackCommand.class, DeploymentsCommand.class, DashboardCommand.class,
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
            if (LogFormat.json()) { // stderr holds JSON lines only: the error is one, with its stack trace
                org.slf4j.LoggerFactory.getLogger("edgefn").error("edgefn {}: {}", commandLine.getCommandName(), ErrorText.of(e), e);
                return 1;
            }
            commandLine.getErr().println("edgefn " + commandLine.getCommandName() + ": " + ErrorText.of(e));
            if (e.getMessage() == null || System.getenv("EDGEFN_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        cli.setParameterExceptionHandler(EdgefnCommand::badArguments);
        return cli.execute(args);
    }

    /**
     * A command line picocli cannot take. An unknown option is reported before a missing required
     * one — {@code --deploymnet x} is a misspelt {@code --deployment}, not a missing one — with the
     * closest known options as suggestions.
     */
    private static int badArguments(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        java.io.PrintWriter err = command.getErr();
        CommandLine.ParameterException shown = e;
        if (!(e instanceof CommandLine.UnmatchedArgumentException) && !command.getUnmatchedArguments().isEmpty()) {
            shown = new CommandLine.UnmatchedArgumentException(command, command.getUnmatchedArguments());
        }
        err.println("edgefn " + command.getCommandName() + ": " + shown.getMessage());
        if (shown instanceof CommandLine.UnmatchedArgumentException unmatched
                && !CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, err)) {
            err.println("Known options: " + String.join(", ", command.getCommandSpec().optionsMap().keySet().stream()
                    .filter(name -> name.startsWith("--")).sorted().toList()));
        }
        err.println("Try 'edgefn " + (command.getCommandSpec().qualifiedName(" ").replaceFirst("^edgefn ?", "")
                + " --help").strip() + "' for more information.");
        err.flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
