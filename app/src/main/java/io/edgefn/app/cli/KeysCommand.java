package io.edgefn.app.cli;

import io.edgefn.deploy.SigningKeys;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgefn keys}: deployment signing keys. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Deployment signing keys (Ed25519).",
        subcommands = {KeysCommand.Generate.class})
final class KeysCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code edgefn keys generate --out DIR}. */
    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = {"Writes a new Ed25519 key pair: DIR/signing.key (PKCS#8 PEM, owner-only; keep it off gateways)"
                    + " and DIR/signing.pub (give it to gateways: edgefn trust add). Never overwrites a key.",
                    "Prints the key id, which signed deployments name."})
    static final class Generate implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the key pair.")
        Path out;

        @Override
        public Integer call() throws Exception {
            PublicKey key = SigningKeys.generate(out);
            System.out.println(SigningKeys.keyId(key));
            System.err.println("wrote " + out.resolve(SigningKeys.PRIVATE_KEY_FILE) + " (secret) and "
                    + out.resolve(SigningKeys.PUBLIC_KEY_FILE) + "; trust it on a gateway with: edgefn trust add "
                    + out.resolve(SigningKeys.PUBLIC_KEY_FILE) + " --data-dir DIR");
            return 0;
        }
    }
}
