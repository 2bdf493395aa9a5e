package io.edgefn.app.cli;

import io.edgefn.runtime.DataDirectory;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code edgefn token --function NAME}: prints the bearer token that opens a function's
 * {@code /fn/NAME/} paths on the functions' own HTTP listener ({@code edgefn run
 * --function-http-bind}), making it in the data directory if it does not exist yet. Reading it
 * takes the data directory owner's rights, like the management token.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Print a function's HTTP bearer token (made on first need, owner-only in the data directory).",
                "It opens that function's /fn/<name>/ paths on --function-http-bind only: not the management API,"
                        + " not another function's paths."})
final class TokenCommand implements Callable<Integer> {

    @Option(names = "--function", required = true, paramLabel = "NAME", description = "The function's name.")
    String function;

    @Mixin
    DataDirOption dataDir;

    @Override
    public Integer call() {
        HostDataDir dir = HostDataDir.find(dataDir.resolve());
        System.out.println(DataDirectory.functionToken(dir.host(), function));
        return 0;
    }
}
