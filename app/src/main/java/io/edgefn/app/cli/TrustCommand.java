package io.edgefn.app.cli;

import io.edgefn.deploy.SigningKeys;
import io.edgefn.deploy.TrustedKeys;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code edgefn trust}: the deployment signing keys a gateway trusts. */
@Command(name = "trust", mixinStandardHelpOptions = true,
        description = {"The deployment signing keys this gateway trusts. Once it trusts any key, it runs only"
                + " deployments signed by one of them (edgefn run --allow-unsigned for development)."},
        subcommands = {TrustCommand.Add.class, TrustCommand.ListKeys.class})
final class TrustCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code edgefn trust add PUBFILE}. */
    @Command(name = "add", mixinStandardHelpOptions = true, description = "Trusts the public key in PUBFILE (signing.pub).")
    static final class Add implements Callable<Integer> {
        @Mixin
        DataDirOption dataDir;

        @Parameters(index = "0", paramLabel = "PUBFILE", description = "The public key, PEM.")
        Path publicKey;

        @Override
        public Integer call() throws Exception {
            PublicKey key = SigningKeys.readPublic(publicKey);
            Path dir = GatewaySetup.hostDataDir(dataDir);
            TrustedKeys trusted = TrustedKeys.of(dir).add(key);
            System.out.println("trusted " + SigningKeys.keyId(key) + " (this gateway trusts " + trusted.ids().size()
                    + " key(s); unsigned deployments are refused from now on)");
            return 0;
        }
    }

    /** {@code edgefn trust list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Prints the ids of the trusted keys, one per line.")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        DataDirOption dataDir;

        @Override
        public Integer call() throws Exception {
            TrustedKeys.of(GatewaySetup.hostDataDir(dataDir)).ids().forEach(System.out::println);
            return 0;
        }
    }
}
