package io.edgefn.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --data-dir} option: the flag, else {@code $EDGEFN_DATA_DIR}, else {@code ~/.edgefn}.
 */
final class DataDirOption {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the host keeps its state (default: $EDGEFN_DATA_DIR, else ~/.edgefn).")
    Path dataDir;

    Path resolve() {
        if (dataDir != null) {
            return dataDir.toAbsolutePath();
        }
        String env = System.getenv("EDGEFN_DATA_DIR");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".edgefn");
    }
}
